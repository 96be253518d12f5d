"""Creating, reading and listing an organisation's venues."""

from __future__ import annotations

from lml_catalog.application import (
    CreateVenue,
    create_venue,
    get_venue,
    list_venues,
)
from lml_catalog.domain import (
    InvalidCursor,
    InvalidVenue,
    Problem,
    Venue,
    VenueExists,
    VenueNotFound,
)
from lml_catalog.fakes import InMemoryVenues, SequentialIds, SteppingClock
from lml_result import Err, Ok


async def test_given_a_name_when_created_then_the_venue_is_stored_trimmed_with_a_new_id(
    venues: InMemoryVenues, ids: SequentialIds, clock: SteppingClock, org_id: str
) -> None:
    result = await create_venue(
        CreateVenue(org_id=org_id, name="  Olympia  "), venues=venues, ids=ids, clock=clock
    )

    assert isinstance(result, Ok)
    assert (result.value.id, result.value.name) == ("ven_1", "Olympia")
    assert await venues.get(org_id, "ven_1") == result.value


async def test_given_a_blank_name_when_created_then_it_is_refused_and_nothing_stored(
    venues: InMemoryVenues, ids: SequentialIds, clock: SteppingClock, org_id: str
) -> None:
    result = await create_venue(
        CreateVenue(org_id=org_id, name="   "), venues=venues, ids=ids, clock=clock
    )

    assert result == Err(
        InvalidVenue((Problem("name", "must be a non-blank string of at most 200 characters"),))
    )
    assert await venues.list(org_id, after=None, limit=10) == []


async def test_given_a_chosen_id_that_exists_when_created_then_the_venue_exists(
    venues: InMemoryVenues, ids: SequentialIds, clock: SteppingClock, venue: Venue, org_id: str
) -> None:
    again = CreateVenue(org_id=org_id, name="Another", venue_id=venue.id)

    assert await create_venue(again, venues=venues, ids=ids, clock=clock) == Err(
        VenueExists(venue_id=venue.id)
    )


async def test_a_venue_is_found_in_its_organisation_and_not_in_another(
    venues: InMemoryVenues, venue: Venue, org_id: str
) -> None:
    assert await get_venue(org_id, venue.id, venues=venues) == Ok(venue)
    assert await get_venue("org_other", venue.id, venues=venues) == Err(
        VenueNotFound(venue_id=venue.id)
    )


async def test_given_five_venues_when_listed_two_by_two_then_every_venue_comes_once_in_order(
    venues: InMemoryVenues, ids: SequentialIds, clock: SteppingClock, org_id: str
) -> None:
    for number in range(5):
        await create_venue(
            CreateVenue(org_id=org_id, name=f"Hall {number}"), venues=venues, ids=ids, clock=clock
        )
    await create_venue(
        CreateVenue(org_id="org_other", name="Elsewhere"), venues=venues, ids=ids, clock=clock
    )

    seen, cursor, pages = [], None, 0
    while True:
        page = await list_venues(org_id, limit=2, cursor=cursor, venues=venues)
        assert isinstance(page, Ok)
        seen += [venue.name for venue in page.value.items]
        pages += 1
        cursor = page.value.next_cursor
        if cursor is None:
            break

    assert seen == [f"Hall {number}" for number in range(5)]
    assert pages == 3


async def test_given_exactly_a_page_of_venues_then_there_is_no_next_cursor(
    venues: InMemoryVenues, venue: Venue, org_id: str
) -> None:
    page = await list_venues(org_id, limit=1, cursor=None, venues=venues)

    assert isinstance(page, Ok)
    assert page.value.next_cursor is None


async def test_given_a_cursor_we_did_not_issue_then_it_is_invalid(
    venues: InMemoryVenues, org_id: str
) -> None:
    assert await list_venues(org_id, limit=10, cursor="not-ours", venues=venues) == Err(
        InvalidCursor()
    )
