"""Fixtures: every catalog port behind one backend, in memory or on a real server.

pytest runs with --import-mode=importlib, so tests reach these through fixtures
rather than by importing this module.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
from pymongo import AsyncMongoClient

from lml_catalog.application import Events, Seatmaps, Venues
from lml_catalog.fakes import InMemoryEvents, InMemorySeatmaps, InMemoryVenues
from lml_catalog.infrastructure import MongoSeatmaps, PostgresEvents, PostgresVenues
from lml_catalog.infrastructure.mongo_seatmaps import SeatmapCollection
from lml_postgres import AppPool
from lml_tenancy import with_tenant
from lml_testing.backends import backends, memory_or_postgres
from lml_testing.ids import unique_id

NewOrganisation = Callable[[], Awaitable[str]]
MongoClient = AsyncMongoClient[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Storage:
    """The PostgreSQL-side adapters of one backend; the field types make mypy check them."""

    venues: Venues
    events: Events
    add_organisation: Callable[[str], Awaitable[None]]


async def nothing_to_add(org_id: str) -> None:
    return None


def in_memory() -> Storage:
    return Storage(InMemoryVenues(), InMemoryEvents(), nothing_to_add)


def in_postgres(pool: AppPool) -> Storage:
    async def add_organisation(org_id: str) -> None:
        # Organisations belong to the identity service; a bare tenant row is all we need.
        async with with_tenant(pool, org_id) as conn:
            await conn.execute(
                "insert into lml.tenants (tenant_id, name) values (%s, 'Catalog test')", (org_id,)
            )

    return Storage(PostgresVenues(pool), PostgresEvents(pool), add_organisation)


storage = memory_or_postgres("storage", in_memory, in_postgres)


@pytest.fixture
def venues(storage: Storage) -> Venues:
    return storage.venues


@pytest.fixture
def events(storage: Storage) -> Events:
    return storage.events


@pytest.fixture
def new_organisation(storage: Storage) -> NewOrganisation:
    async def create() -> str:
        org_id = unique_id("org")
        await storage.add_organisation(org_id)
        return org_id

    return create


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def mongo_client(mongo_url: str) -> AsyncIterator[MongoClient]:
    client: MongoClient = AsyncMongoClient(mongo_url, serverSelectionTimeoutMS=5000, tz_aware=True)
    try:
        yield client
    finally:
        await client.close()


@pytest.fixture
def seatmap_collection(mongo_client: MongoClient) -> SeatmapCollection:
    """A collection of the test's own."""
    return mongo_client["lml_catalog_tests"][unique_id("seatmaps")]


@pytest.fixture
async def mongo_seatmaps(seatmap_collection: SeatmapCollection) -> MongoSeatmaps:
    """A store on the test's collection, indexed as at start-up."""
    seatmaps = MongoSeatmaps(seatmap_collection)
    await seatmaps.create_indexes()
    return seatmaps


@pytest.fixture(params=backends("mongo"))
def seatmaps(request: pytest.FixtureRequest) -> Seatmaps:
    if request.param == "memory":
        return InMemorySeatmaps()
    store: Seatmaps = request.getfixturevalue("mongo_seatmaps")
    return store
