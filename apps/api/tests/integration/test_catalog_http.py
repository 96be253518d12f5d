"""The catalog over HTTP against PostgreSQL and a MongoDB-wire server (SecantusDB):
seatmaps bound to their organisation, inventory materialised, other organisations kept out."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from pymongo import AsyncMongoClient

from lml_api.app import create_app
from lml_api.container import Container
from lml_auth import ALL_SCOPES
from lml_catalog.domain import generate_seatmap
from lml_config import Settings
from lml_identity.application import CreateOrganisation, create_organisation
from lml_postgres import AppPool
from lml_result import Ok
from lml_tenancy import with_tenant

pytestmark = pytest.mark.integration

SEATMAP = generate_seatmap(sections=4, rows=6, seats=10, ga_zones=2, name="Hall")
PRICES = [
    {"id": category["id"], "name": category["name"], "amount": 5000}
    for category in SEATMAP["price_categories"]
]

Client = AsyncTestClient[Litestar]


@pytest.fixture
def settings(
    make_settings: Callable[..., Settings], mongo_url: str, redis_key_prefix: str
) -> Settings:
    return make_settings(
        mongo_url=mongo_url,
        mongo_database=f"lml_test_{uuid.uuid4().hex[:12]}",
        redis_key_prefix=redis_key_prefix,
        stripe_secret_key="sk_test_example",
    )


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[Client]:
    async with AsyncTestClient(create_app(settings=settings)) as test_client:
        yield test_client


async def new_organisation(client: Client) -> tuple[str, dict[str, str]]:
    """A new organisation's id, and headers with a token for it carrying every scope."""
    container: Container = client.app.state.container
    created = await create_organisation(
        CreateOrganisation(name="Catalog HTTP"),
        organisations=container.identity.organisations,
        secrets=container.identity.secrets,
    )
    assert isinstance(created, Ok)
    org_id = created.value.id
    token = container.tokens.issuer.issue("usr_1", org_id, ALL_SCOPES).access_token
    return org_id, {"Authorization": f"Bearer {token}"}


async def seatmap_of(client: Client, headers: dict[str, str]) -> tuple[str, str]:
    venue = await client.post("/v1/venues", json={"name": "Hall"}, headers=headers)
    assert venue.status_code == 201, venue.text
    path = f"{venue.headers['location']}/seatmaps/main"
    stored = await client.put(path, json=SEATMAP, headers=headers)
    assert stored.status_code == 201, stored.text
    return venue.json()["id"], path


async def test_at_start_up_the_seatmap_collection_gets_its_organisation_index(
    client: Client, settings: Settings
) -> None:
    mongo: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(settings.mongo_url)
    try:
        indexes = await mongo[settings.mongo_database]["seatmaps"].index_information()
    finally:
        await mongo.close()

    assert (("org_id", 1), ("_id", 1)) in [tuple(index["key"]) for index in indexes.values()]


async def test_a_seatmap_round_trips_through_mongodb_and_stays_in_its_organisation(
    client: Client,
) -> None:
    (_, mine), (_, theirs) = await new_organisation(client), await new_organisation(client)
    venue_id, path = await seatmap_of(client, mine)

    assert (await client.get(path, headers=mine)).json() == {
        **SEATMAP,
        "id": "main",
        "venue_id": venue_id,
    }
    assert (await client.get(path, headers=theirs)).status_code == 404
    assert (await client.put(path, json=SEATMAP, headers=theirs)).status_code == 404
    assert (await client.get(f"/v1/venues/{venue_id}", headers=theirs)).status_code == 404


async def test_an_event_gets_a_row_per_seat_and_a_counter_per_zone_seen_only_by_its_org(
    client: Client, app_pool: AppPool
) -> None:
    (org_id, mine), (_, theirs) = await new_organisation(client), await new_organisation(client)
    venue_id, _ = await seatmap_of(client, mine)
    body = {
        "venue_id": venue_id,
        "seatmap_id": "main",
        "name": "Opening night",
        "starts_at": "2026-11-30T20:15:00Z",
        "currency": "EUR",
        "price_categories": PRICES,
        "sales_channels": [{"id": "web", "name": "Web shop"}],
        "max_seats_per_hold": 8,
    }

    created = await client.post("/v1/events", json=body, headers=mine)

    assert created.status_code == 201, created.text
    event = created.json()
    assert (await client.get(created.headers["location"], headers=mine)).json() == event
    assert (await client.get(created.headers["location"], headers=theirs)).status_code == 404
    async with with_tenant(app_pool, org_id) as conn:
        seats = await (
            await conn.execute(
                "select count(*) from lml.event_seats where event_id = %s", (event["id"],)
            )
        ).fetchone()
        zones = await (
            await conn.execute(
                "select count(*) from lml.event_zones where event_id = %s", (event["id"],)
            )
        ).fetchone()
    assert (seats, zones) == ((4 * 6 * 10,), (2,))
