"""The inventory PostgreSQL materialises for an event: a row per seat, a counter per zone,
written in one transaction and visible only to the event's organisation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import psycopg
import pytest

from lml_catalog.domain import (
    Event,
    EventTerms,
    PriceCategory,
    SeatStock,
    Venue,
    generate_seatmap,
    parse_seatmap,
    seat_stock,
)
from lml_catalog.infrastructure import PostgresEvents, PostgresVenues
from lml_postgres import AppPool
from lml_result import Ok
from lml_tenancy import with_tenant

pytestmark = pytest.mark.integration

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


async def venue_of_new_organisation(pool: AppPool) -> Venue:
    org_id = f"org_{uuid.uuid4().hex}"
    async with with_tenant(pool, org_id) as conn:
        await conn.execute("insert into lml.tenants (tenant_id, name) values (%s, 'T')", (org_id,))
    venue = Venue(id=f"ven_{uuid.uuid4().hex}", org_id=org_id, name="Arena", created_at=NOW)
    assert await PostgresVenues(pool).add(venue) == Ok(None)
    return venue


def stadium_event(venue: Venue, zones: int) -> tuple[Event, list[SeatStock]]:
    parsed = parse_seatmap(generate_seatmap(sections=6, rows=5, seats=8, ga_zones=zones))
    assert isinstance(parsed, Ok)
    seatmap = parsed.value
    event = Event(
        id=f"evt_{uuid.uuid4().hex}",
        org_id=venue.org_id,
        venue_id=venue.id,
        seatmap_id="main",
        terms=EventTerms(
            name="Final",
            starts_at=NOW,
            currency="EUR",
            price_categories=tuple(
                PriceCategory(id=category, name=category, amount=100)
                for category in seatmap.categories_used()
            ),
        ),
        ga_zones=seatmap.ga_zones,
        created_at=NOW,
    )
    return event, list(seat_stock(seatmap))


async def scalar(pool: AppPool, org_id: str, query: str, event_id: str) -> object:
    async with with_tenant(pool, org_id) as conn:
        cursor = await conn.execute(query, (event_id,))
        row = await cursor.fetchone()
    assert row is not None
    return row[0]


async def test_given_a_new_event_then_there_is_one_available_row_per_seat_at_version_0(
    app_pool: AppPool,
) -> None:
    venue = await venue_of_new_organisation(app_pool)
    event, seats = stadium_event(venue, zones=3)

    await PostgresEvents(app_pool).add(event, seats)

    async with with_tenant(app_pool, venue.org_id) as conn:
        cursor = await conn.execute(
            "select seat_id, price_category, zone_id, status, version, hold_id,"
            " sales_channel_id from lml.event_seats where event_id = %s order by seat_id",
            (event.id,),
        )
        rows = await cursor.fetchall()
    assert len(rows) == len(seats) == 6 * 5 * 8
    assert {(r[0], r[1], r[2]) for r in rows} == set(seats)
    assert {(r[3], r[4], r[5], r[6]) for r in rows} == {("available", 0, None, None)}


async def test_given_a_new_event_then_there_is_one_empty_counter_per_ga_zone(
    app_pool: AppPool,
) -> None:
    venue = await venue_of_new_organisation(app_pool)
    event, seats = stadium_event(venue, zones=4)

    await PostgresEvents(app_pool).add(event, seats)

    async with with_tenant(app_pool, venue.org_id) as conn:
        cursor = await conn.execute(
            "select zone_id, capacity, held, sold from lml.event_zones where event_id = %s"
            " order by zone_id",
            (event.id,),
        )
        zones = await cursor.fetchall()
    assert zones == [(zone.id, zone.capacity, 0, 0) for zone in event.ga_zones]


async def test_given_a_seat_that_cannot_be_written_then_nothing_of_the_event_is_kept(
    app_pool: AppPool,
) -> None:
    venue = await venue_of_new_organisation(app_pool)
    event, seats = stadium_event(venue, zones=2)

    with pytest.raises(psycopg.errors.UniqueViolation):
        await PostgresEvents(app_pool).add(event, [*seats, seats[0]])

    for table in ("lml.events", "lml.event_zones", "lml.event_seats"):
        column = "id" if table == "lml.events" else "event_id"
        query = f"select count(*) from {table} where {column} = %s"
        assert await scalar(app_pool, venue.org_id, query, event.id) == 0


async def test_another_organisation_sees_none_of_an_events_seats_or_zones(
    app_pool: AppPool,
) -> None:
    mine, theirs = (
        await venue_of_new_organisation(app_pool),
        await venue_of_new_organisation(app_pool),
    )
    event, seats = stadium_event(mine, zones=2)
    await PostgresEvents(app_pool).add(event, seats)

    for table in ("lml.event_zones", "lml.event_seats"):
        query = f"select count(*) from {table} where event_id = %s"
        assert await scalar(app_pool, theirs.org_id, query, event.id) == 0
        assert await scalar(app_pool, mine.org_id, query, event.id) != 0
