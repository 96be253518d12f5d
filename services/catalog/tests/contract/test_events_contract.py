"""The Events port, run against the in-memory fake and PostgreSQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest

from lml_catalog.application import Events, Venues
from lml_catalog.domain import (
    Cursor,
    Event,
    EventExists,
    EventTerms,
    GaZone,
    PriceCategory,
    SalesChannel,
    SeatStock,
    Venue,
)
from lml_result import Err, Ok

NewId = Callable[[str], str]
NewOrganisation = Callable[[], Awaitable[str]]
NewVenue = Callable[[], Awaitable[Venue]]
STARTS_AT = datetime(2026, 11, 30, 20, 15, tzinfo=UTC)
SEATS = [SeatStock("A-1", "front", "S1"), SeatStock("A-2", "front", "S1")]


@pytest.fixture
def new_venue(venues: Venues, new_organisation: NewOrganisation, new_id: NewId) -> NewVenue:
    """A venue of a new organisation: events need one to belong to."""

    async def create() -> Venue:
        org = await new_organisation()
        venue = Venue(id=new_id("ven"), org_id=org, name="Arena", created_at=STARTS_AT)
        assert await venues.add(venue) == Ok(None)
        return venue

    return create


def event_at(venue: Venue, new_id: NewId, days: int = 0, name: str = "Concert") -> Event:
    return Event(
        id=new_id("evt"),
        org_id=venue.org_id,
        venue_id=venue.id,
        seatmap_id="main",
        terms=EventTerms(
            name=name,
            starts_at=STARTS_AT + timedelta(days=days),
            currency="EUR",
            price_categories=(
                PriceCategory(id="front", name="Front", amount=8900),
                PriceCategory(id="floor", name="Floor", amount=0),
            ),
            sales_channels=(SalesChannel(id="web", name="Web shop"),),
            max_seats_per_hold=6,
        ),
        ga_zones=(
            GaZone(id="GA-1", name="Floor left", capacity=200, price_category="floor"),
            GaZone(id="GA-2", name="Floor right", capacity=300, price_category="floor"),
        ),
        created_at=STARTS_AT - timedelta(days=90),
    )


async def test_given_an_added_event_then_it_is_found_with_its_terms_and_zones(
    events: Events, new_venue: NewVenue, new_id: NewId
) -> None:
    venue = await new_venue()
    concert = event_at(venue, new_id)

    assert await events.add(concert, SEATS) == Ok(None)
    assert await events.get(venue.org_id, concert.id) == concert


async def test_an_event_with_no_zones_and_no_channels_comes_back_without_them(
    events: Events, new_venue: NewVenue, new_id: NewId
) -> None:
    venue = await new_venue()
    full = event_at(venue, new_id)
    seated_only = Event(
        id=full.id,
        org_id=full.org_id,
        venue_id=full.venue_id,
        seatmap_id=full.seatmap_id,
        terms=EventTerms(
            name="Recital",
            starts_at=STARTS_AT,
            currency="GBP",
            price_categories=full.terms.price_categories,
        ),
        ga_zones=(),
        created_at=full.created_at,
    )

    await events.add(seated_only, SEATS)

    assert await events.get(venue.org_id, seated_only.id) == seated_only


async def test_an_unknown_event_is_not_found(
    events: Events, new_venue: NewVenue, new_id: NewId
) -> None:
    venue = await new_venue()

    assert await events.get(venue.org_id, new_id("evt")) is None


async def test_an_event_of_one_organisation_is_never_found_through_another(
    events: Events, new_venue: NewVenue, new_id: NewId
) -> None:
    mine, theirs = await new_venue(), await new_venue()
    concert = event_at(mine, new_id)
    await events.add(concert, SEATS)

    assert await events.get(theirs.org_id, concert.id) is None
    assert await events.list(theirs.org_id, after=None, limit=10) == []


async def test_given_a_taken_id_when_added_then_the_event_exists_and_is_unchanged(
    events: Events, new_venue: NewVenue, new_id: NewId
) -> None:
    venue = await new_venue()
    concert = event_at(venue, new_id)
    await events.add(concert, SEATS)
    other = event_at(venue, new_id, name="Other")
    clash = Event(**{**{f: getattr(other, f) for f in other.__struct_fields__}, "id": concert.id})

    assert await events.add(clash, SEATS) == Err(EventExists(event_id=concert.id))
    assert await events.get(venue.org_id, concert.id) == concert


async def test_events_are_listed_by_start_time_from_after_the_cursor(
    events: Events, new_venue: NewVenue, new_id: NewId
) -> None:
    venue = await new_venue()
    added = [event_at(venue, new_id, days=days, name=f"Day {days}") for days in (3, 1, 2)]
    for event in added:
        await events.add(event, SEATS)
    first, second, third = sorted(added, key=lambda event: event.terms.starts_at)

    assert await events.list(venue.org_id, after=None, limit=2) == [first, second]
    position = Cursor(second.terms.starts_at, second.id)
    assert await events.list(venue.org_id, after=position, limit=2) == [third]
