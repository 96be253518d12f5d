"""The demo venue, seatmap and event that ``lml dev`` seeds beside the demo organisation."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from pymongo import AsyncMongoClient

from lml_catalog.application import get_event
from lml_catalog.domain import SeatmapKey
from lml_catalog.infrastructure import MongoSeatmaps
from lml_catalog.infrastructure.adapters import CatalogAdapters, postgres_catalog
from lml_cli.demo_seed import DEMO_ORG_ID, seed_demo, seed_demo_event
from lml_identity.infrastructure.adapters import postgres_identity
from lml_postgres import AppPool
from lml_result import Ok
from lml_tenancy import with_tenant

pytestmark = pytest.mark.integration


@pytest_asyncio.fixture(loop_scope="session")
async def catalog(
    app_pool: AppPool, mongo_url: str, tmp_path: Path
) -> AsyncIterator[CatalogAdapters]:
    """The catalog on the test database and a seatmap collection of the test's own,
    with the demo organisation already seeded."""
    await seed_demo(postgres_identity(app_pool), tmp_path)
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
    try:
        seatmaps = MongoSeatmaps(client["lml_catalog_tests"][f"seatmaps_{uuid.uuid4().hex}"])
        yield postgres_catalog(app_pool, seatmaps)
    finally:
        await client.close()


async def count(pool: AppPool, table: str, event_id: str) -> int:
    async with with_tenant(pool, DEMO_ORG_ID) as conn:
        cursor = await conn.execute(
            f"select count(*) from lml.{table} where event_id = %s", (event_id,)
        )
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def test_the_demo_event_is_on_sale_with_a_few_hundred_seats_and_two_ga_zones(
    catalog: CatalogAdapters, app_pool: AppPool
) -> None:
    demo = await seed_demo_event(catalog)

    event = await get_event(DEMO_ORG_ID, demo.event_id, events=catalog.events)
    assert isinstance(event, Ok)
    assert event.value.terms.name == "Demo Concert"
    assert len(event.value.ga_zones) == 2
    assert await count(app_pool, "event_seats", demo.event_id) == 384
    key = SeatmapKey(DEMO_ORG_ID, demo.venue_id, demo.seatmap_id)
    assert await catalog.seatmaps.get(key) is not None


async def test_seeding_twice_reuses_the_venue_seatmap_and_event(
    catalog: CatalogAdapters, app_pool: AppPool
) -> None:
    first = await seed_demo_event(catalog)
    second = await seed_demo_event(catalog)

    assert second == first
    assert await count(app_pool, "event_seats", first.event_id) == 384
    assert await count(app_pool, "event_zones", first.event_id) == 2
