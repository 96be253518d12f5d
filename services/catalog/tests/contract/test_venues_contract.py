"""The Venues port, run against the in-memory fake and PostgreSQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from lml_catalog.application import Venues
from lml_catalog.domain import Cursor, Venue, VenueExists
from lml_result import Err, Ok

NewId = Callable[[str], str]
NewOrganisation = Callable[[], Awaitable[str]]
OPENED = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


def venue_of(org_id: str, new_id: NewId, name: str = "Arena", minutes: int = 0) -> Venue:
    return Venue(
        id=new_id("ven"), org_id=org_id, name=name, created_at=OPENED + timedelta(minutes=minutes)
    )


async def test_given_an_added_venue_then_it_is_found_by_id_exactly(
    venues: Venues, new_organisation: NewOrganisation, new_id: NewId
) -> None:
    org = await new_organisation()
    arena = venue_of(org, new_id)

    assert await venues.add(arena) == Ok(None)
    assert await venues.get(org, arena.id) == arena


async def test_an_unknown_venue_is_not_found(
    venues: Venues, new_organisation: NewOrganisation, new_id: NewId
) -> None:
    assert await venues.get(await new_organisation(), new_id("ven")) is None


async def test_a_venue_of_one_organisation_is_never_found_through_another(
    venues: Venues, new_organisation: NewOrganisation, new_id: NewId
) -> None:
    org_a, org_b = await new_organisation(), await new_organisation()
    arena = venue_of(org_a, new_id)
    await venues.add(arena)

    assert await venues.get(org_b, arena.id) is None
    assert await venues.list(org_b, after=None, limit=10) == []


async def test_given_a_taken_id_when_added_then_the_venue_exists_and_is_unchanged(
    venues: Venues, new_organisation: NewOrganisation, new_id: NewId
) -> None:
    org = await new_organisation()
    arena = venue_of(org, new_id)
    await venues.add(arena)

    renamed = Venue(id=arena.id, org_id=org, name="Renamed", created_at=arena.created_at)

    assert await venues.add(renamed) == Err(VenueExists(venue_id=arena.id))
    assert await venues.get(org, arena.id) == arena


async def test_venues_are_listed_oldest_first_from_after_the_cursor(
    venues: Venues, new_organisation: NewOrganisation, new_id: NewId
) -> None:
    org = await new_organisation()
    added = [venue_of(org, new_id, f"Hall {n}", minutes=n) for n in (2, 0, 1)]
    for venue in added:
        await venues.add(venue)
    oldest, middle, newest = sorted(added, key=lambda venue: venue.created_at)

    assert await venues.list(org, after=None, limit=2) == [oldest, middle]
    assert await venues.list(org, after=Cursor(middle.created_at, middle.id), limit=2) == [newest]


async def test_venues_created_at_the_same_time_are_ordered_by_id(
    venues: Venues, new_organisation: NewOrganisation, new_id: NewId
) -> None:
    org = await new_organisation()
    twins = sorted((venue_of(org, new_id, name) for name in ("One", "Two")), key=lambda v: v.id)
    for venue in reversed(twins):
        await venues.add(venue)

    assert await venues.list(org, after=None, limit=10) == twins
    first = twins[0]
    assert await venues.list(org, after=Cursor(first.created_at, first.id), limit=10) == [twins[1]]
