"""The client credentials grant: an API client authenticates with its secret."""

from __future__ import annotations

from lml_identity.application import (
    ClientCredentialsGrant,
    CreatedApiClient,
    authenticate_client,
)
from lml_identity.domain import Grant, InvalidClient, InvalidScope
from lml_identity.fakes import FakePasswordHasher, InMemoryApiClients
from lml_result import Err, Ok, Result


async def authenticate(
    grant: ClientCredentialsGrant, clients: InMemoryApiClients, hasher: FakePasswordHasher
) -> Result[Grant, InvalidClient | InvalidScope]:
    return await authenticate_client(grant, clients=clients, hasher=hasher)


async def test_given_the_right_secret_then_the_grant_names_the_client_org_and_its_scopes(
    clients: InMemoryApiClients, hasher: FakePasswordHasher, box_office: CreatedApiClient
) -> None:
    client = box_office.client
    grant = ClientCredentialsGrant(client_id=client.client_id, client_secret=box_office.secret)

    assert await authenticate(grant, clients, hasher) == Ok(
        Grant(subject=client.client_id, org_id=client.org_id, scopes=client.scopes)
    )


async def test_given_a_subset_of_scopes_requested_then_only_those_are_granted(
    clients: InMemoryApiClients, hasher: FakePasswordHasher, box_office: CreatedApiClient
) -> None:
    grant = ClientCredentialsGrant(
        client_id=box_office.client.client_id,
        client_secret=box_office.secret,
        requested_scopes=frozenset({"inventory.read"}),
    )

    result = await authenticate(grant, clients, hasher)

    assert isinstance(result, Ok)
    assert result.value.scopes == frozenset({"inventory.read"})


async def test_given_a_scope_the_client_lacks_then_the_scope_is_invalid(
    clients: InMemoryApiClients, hasher: FakePasswordHasher, box_office: CreatedApiClient
) -> None:
    grant = ClientCredentialsGrant(
        client_id=box_office.client.client_id,
        client_secret=box_office.secret,
        requested_scopes=frozenset({"orders.write"}),
    )

    assert await authenticate(grant, clients, hasher) == Err(
        InvalidScope(scopes=frozenset({"orders.write"}))
    )


async def test_an_unknown_client_and_a_wrong_secret_give_the_identical_error(
    clients: InMemoryApiClients, hasher: FakePasswordHasher, box_office: CreatedApiClient
) -> None:
    wrong_secret = ClientCredentialsGrant(
        client_id=box_office.client.client_id, client_secret="not the secret"
    )
    unknown_client = ClientCredentialsGrant(client_id="cli_nobody", client_secret="not the secret")

    wrong = await authenticate(wrong_secret, clients, hasher)
    unknown = await authenticate(unknown_client, clients, hasher)

    assert wrong == unknown == Err(InvalidClient())


async def test_given_an_unknown_client_then_the_hasher_still_verifies_exactly_once(
    clients: InMemoryApiClients, hasher: FakePasswordHasher
) -> None:
    grant = ClientCredentialsGrant(client_id="cli_nobody", client_secret="a guessed secret")

    await authenticate(grant, clients, hasher)

    assert hasher.verify_calls == 1


def test_a_client_credentials_grant_never_shows_its_secret() -> None:
    grant = ClientCredentialsGrant(client_id="cli_1", client_secret="top secret value")

    assert "top secret value" not in repr(grant)


async def test_given_a_secret_longer_than_any_allowed_then_it_is_refused_without_hashing(
    clients: InMemoryApiClients, hasher: FakePasswordHasher, box_office: CreatedApiClient
) -> None:
    grant = ClientCredentialsGrant(client_id=box_office.client.client_id, client_secret="x" * 1025)

    assert await authenticate(grant, clients, hasher) == Err(InvalidClient())
    assert hasher.verify_calls == 0
