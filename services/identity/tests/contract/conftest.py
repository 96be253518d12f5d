"""Fixtures: every storage port behind one backend, in memory or in PostgreSQL.

pytest runs with --import-mode=importlib, so tests reach these through fixtures
rather than by importing this module.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest

from lml_identity.application import ApiClients, Organisations, Users
from lml_identity.domain import Organisation
from lml_identity.fakes import InMemoryApiClients, InMemoryOrganisations, InMemoryUsers
from lml_identity.infrastructure import PostgresApiClients, PostgresOrganisations, PostgresUsers
from lml_postgres import AppPool
from lml_result import Ok
from lml_testing.backends import memory_or_postgres
from lml_testing.ids import unique_id

NewOrganisation = Callable[[], Awaitable[Organisation]]


@dataclass(frozen=True, slots=True)
class Storage:
    """The adapters of one backend; the field types make mypy check each adapter's conformance."""

    organisations: Organisations
    users: Users
    clients: ApiClients


def in_memory() -> Storage:
    return Storage(InMemoryOrganisations(), InMemoryUsers(), InMemoryApiClients())


def in_postgres(pool: AppPool) -> Storage:
    return Storage(PostgresOrganisations(pool), PostgresUsers(pool), PostgresApiClients(pool))


storage = memory_or_postgres("storage", in_memory, in_postgres)


@pytest.fixture
def organisations(storage: Storage) -> Organisations:
    return storage.organisations


@pytest.fixture
def users(storage: Storage) -> Users:
    return storage.users


@pytest.fixture
def clients(storage: Storage) -> ApiClients:
    return storage.clients


@pytest.fixture
def new_organisation(organisations: Organisations) -> NewOrganisation:
    async def create() -> Organisation:
        organisation = Organisation(id=unique_id("org"), name="Test organisation")
        assert await organisations.add(organisation) == Ok(None)
        return organisation

    return create
