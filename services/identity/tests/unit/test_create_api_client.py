"""Registering an API client: its secret is shown once and only its hash is kept."""

from __future__ import annotations

from lml_identity.application import CreateApiClient, CreatedApiClient, create_api_client
from lml_identity.domain import ApiClient, Organisation, UnknownOrganisation, UnknownScopes
from lml_identity.fakes import (
    FakePasswordHasher,
    FakeSecrets,
    InMemoryApiClients,
    InMemoryOrganisations,
)
from lml_result import Err, Ok

SCOPES = frozenset({"inventory.read"})


async def test_given_valid_details_when_created_then_the_client_and_its_secret_are_returned(
    organisations: InMemoryOrganisations,
    clients: InMemoryApiClients,
    hasher: FakePasswordHasher,
    secrets: FakeSecrets,
    org: Organisation,
) -> None:
    result = await create_api_client(
        CreateApiClient(org_id=org.id, name="Box office", scopes=SCOPES),
        organisations=organisations,
        clients=clients,
        hasher=hasher,
        secrets=secrets,
    )

    assert result == Ok(
        CreatedApiClient(
            client=ApiClient(client_id="cli_2", org_id=org.id, name="Box office", scopes=SCOPES),
            secret="secret_3",
        )
    )


async def test_given_a_new_client_then_only_a_hash_of_its_secret_is_stored(
    clients: InMemoryApiClients, hasher: FakePasswordHasher, box_office: CreatedApiClient
) -> None:
    stored = await clients.find(box_office.client.client_id)

    assert stored is not None
    assert stored.client == box_office.client
    assert box_office.secret not in stored.secret_hash
    assert await hasher.verify(stored.secret_hash, box_office.secret)


async def test_the_secret_is_never_shown_in_the_result_repr(box_office: CreatedApiClient) -> None:
    assert box_office.secret not in repr(box_office)


async def test_given_an_unknown_organisation_when_created_then_it_is_refused(
    organisations: InMemoryOrganisations,
    clients: InMemoryApiClients,
    hasher: FakePasswordHasher,
    secrets: FakeSecrets,
) -> None:
    result = await create_api_client(
        CreateApiClient(org_id="org_nowhere", name="Ghost", scopes=SCOPES),
        organisations=organisations,
        clients=clients,
        hasher=hasher,
        secrets=secrets,
    )

    assert result == Err(UnknownOrganisation(org_id="org_nowhere"))


async def test_given_an_unknown_scope_when_created_then_it_is_refused_before_any_hashing(
    organisations: InMemoryOrganisations,
    clients: InMemoryApiClients,
    hasher: FakePasswordHasher,
    secrets: FakeSecrets,
    org: Organisation,
) -> None:
    result = await create_api_client(
        CreateApiClient(org_id=org.id, name="Greedy", scopes=frozenset({"everything"})),
        organisations=organisations,
        clients=clients,
        hasher=hasher,
        secrets=secrets,
    )

    assert result == Err(UnknownScopes(scopes=frozenset({"everything"})))
    assert hasher.hash_calls == 0
