"""The ApiClients port, run against the in-memory fake and PostgreSQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from lml_identity.application import ApiClients, ClientCredentials
from lml_identity.domain import ApiClient, Organisation

NewId = Callable[[str], str]
NewOrganisation = Callable[[], Awaitable[Organisation]]
SECRET_HASH = "hash-of-the-secret"


def client_in(org: Organisation, new_id: NewId) -> ApiClient:
    return ApiClient(
        client_id=new_id("cli"),
        org_id=org.id,
        name="Box office",
        scopes=frozenset({"inventory.read", "inventory.holds:write"}),
    )


async def test_given_an_added_client_then_it_is_found_by_id_alone_with_its_secret_hash(
    clients: ApiClients, new_organisation: NewOrganisation, new_id: NewId
) -> None:
    client = client_in(await new_organisation(), new_id)

    await clients.add(client, SECRET_HASH)

    assert await clients.find(client.client_id) == ClientCredentials(
        client=client, secret_hash=SECRET_HASH
    )


async def test_given_an_added_client_then_its_organisation_is_known_from_its_id(
    clients: ApiClients, new_organisation: NewOrganisation, new_id: NewId
) -> None:
    org = await new_organisation()
    client = client_in(org, new_id)
    await clients.add(client, SECRET_HASH)

    assert await clients.tenant_of(client.client_id) == org.id


async def test_clients_of_two_organisations_each_name_their_own(
    clients: ApiClients, new_organisation: NewOrganisation, new_id: NewId
) -> None:
    org_a, org_b = await new_organisation(), await new_organisation()
    client_a, client_b = client_in(org_a, new_id), client_in(org_b, new_id)
    await clients.add(client_a, "hash-a")
    await clients.add(client_b, "hash-b")

    assert await clients.tenant_of(client_a.client_id) == org_a.id
    assert await clients.tenant_of(client_b.client_id) == org_b.id
    assert await clients.find(client_b.client_id) == ClientCredentials(
        client=client_b, secret_hash="hash-b"
    )


async def test_given_an_unknown_client_id_then_nothing_is_found(
    clients: ApiClients, new_id: NewId
) -> None:
    unknown = new_id("cli")

    assert await clients.find(unknown) is None
    assert await clients.tenant_of(unknown) is None
