"""Fixtures: the in-memory adapters, and an organisation with a user and an API client in them.

pytest runs with --import-mode=importlib, so tests reach these through fixtures
rather than by importing this module.
"""

from __future__ import annotations

import pytest

from lml_identity.application import (
    CreateApiClient,
    CreatedApiClient,
    CreateOrganisation,
    CreateUser,
    create_api_client,
    create_organisation,
    create_user,
)
from lml_identity.domain import Organisation, User
from lml_identity.fakes import (
    FakePasswordHasher,
    FakeSecrets,
    InMemoryApiClients,
    InMemoryOrganisations,
    InMemoryUsers,
)
from lml_result import Ok

ALICE_PASSWORD = "correct horse battery staple"


@pytest.fixture
def organisations() -> InMemoryOrganisations:
    return InMemoryOrganisations()


@pytest.fixture
def users() -> InMemoryUsers:
    return InMemoryUsers()


@pytest.fixture
def clients() -> InMemoryApiClients:
    return InMemoryApiClients()


@pytest.fixture
def hasher() -> FakePasswordHasher:
    return FakePasswordHasher()


@pytest.fixture
def secrets() -> FakeSecrets:
    return FakeSecrets()


@pytest.fixture
async def org(organisations: InMemoryOrganisations, secrets: FakeSecrets) -> Organisation:
    result = await create_organisation(
        CreateOrganisation(name="Acme Arena"), organisations=organisations, secrets=secrets
    )
    assert isinstance(result, Ok)
    return result.value


@pytest.fixture
def alice_password() -> str:
    return ALICE_PASSWORD


@pytest.fixture
async def alice(
    org: Organisation,
    organisations: InMemoryOrganisations,
    users: InMemoryUsers,
    hasher: FakePasswordHasher,
    secrets: FakeSecrets,
) -> User:
    result = await create_user(
        CreateUser(
            org_id=org.id,
            username="Alice",
            password=ALICE_PASSWORD,
            scopes=frozenset({"identity.me.read", "orders.read", "orders.write"}),
        ),
        organisations=organisations,
        users=users,
        hasher=hasher,
        secrets=secrets,
    )
    assert isinstance(result, Ok)
    return result.value


@pytest.fixture
async def box_office(
    org: Organisation,
    organisations: InMemoryOrganisations,
    clients: InMemoryApiClients,
    hasher: FakePasswordHasher,
    secrets: FakeSecrets,
) -> CreatedApiClient:
    result = await create_api_client(
        CreateApiClient(
            org_id=org.id,
            name="Box office",
            scopes=frozenset({"inventory.read", "inventory.holds:write"}),
        ),
        organisations=organisations,
        clients=clients,
        hasher=hasher,
        secrets=secrets,
    )
    assert isinstance(result, Ok)
    return result.value
