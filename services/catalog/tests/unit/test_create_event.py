"""Creating an event from a seatmap: its terms, its prices, and the inventory it gets."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from lml_catalog.application import (
    CreateEvent,
    CreateEventError,
    PutSeatmap,
    create_event,
    get_event,
    list_events,
    put_seatmap,
)
from lml_catalog.domain import (
    Event,
    EventExists,
    EventNotFound,
    EventTerms,
    InvalidEvent,
    PriceCategory,
    Problem,
    SalesChannel,
    SeatmapKey,
    SeatmapNotFound,
    SeatStock,
    Venue,
    VenueNotFound,
    generate_seatmap,
)
from lml_catalog.fakes import (
    InMemoryEvents,
    InMemorySeatmaps,
    InMemoryVenues,
    SequentialIds,
    SteppingClock,
)
from lml_result import Err, Ok, Result

STARTS_AT = datetime(2026, 11, 30, 20, 15, tzinfo=UTC)
PRICES = (
    PriceCategory(id="front", name="Front", amount=8900),
    PriceCategory(id="back", name="Back", amount=4500),
    PriceCategory(id="floor", name="Floor", amount=3900),
)

Create = Callable[..., Awaitable[Result[Event, CreateEventError]]]


def terms(**changes: Any) -> EventTerms:
    values: dict[str, Any] = {
        "name": "Autumn Tour",
        "starts_at": STARTS_AT,
        "currency": "EUR",
        "price_categories": PRICES,
        **changes,
    }
    return EventTerms(**values)


@pytest.fixture
async def seatmap_key(
    venues: InMemoryVenues, seatmaps: InMemorySeatmaps, venue: Venue, small_seatmap: dict[str, Any]
) -> SeatmapKey:
    key = SeatmapKey(venue.org_id, venue.id, "main")
    stored = await put_seatmap(
        PutSeatmap(key=key, document=small_seatmap), venues=venues, seatmaps=seatmaps
    )
    assert isinstance(stored, Ok)
    return key


@pytest.fixture
def create(
    venues: InMemoryVenues,
    seatmaps: InMemorySeatmaps,
    events: InMemoryEvents,
    ids: SequentialIds,
    clock: SteppingClock,
    seatmap_key: SeatmapKey,
) -> Create:
    """``create_event`` with the fakes wired in, on the venue's seatmap unless told otherwise."""

    async def run(
        event_terms: EventTerms | None = None, **changes: Any
    ) -> Result[Event, CreateEventError]:
        command: dict[str, Any] = {
            "org_id": seatmap_key.org_id,
            "venue_id": seatmap_key.venue_id,
            "seatmap_id": seatmap_key.seatmap_id,
            "terms": event_terms or terms(),
            **changes,
        }
        return await create_event(
            CreateEvent(**command),
            venues=venues,
            seatmaps=seatmaps,
            events=events,
            ids=ids,
            clock=clock,
        )

    return run


async def test_given_a_seatmap_when_an_event_is_created_then_every_seat_gets_one_stock_row(
    create: Create, events: InMemoryEvents
) -> None:
    result = await create()

    assert isinstance(result, Ok)
    stock = events.seats_of(result.value.id)
    assert len(stock) == 12
    assert stock[0] == SeatStock(seat_id="S1-A-1", price_category="front", zone_id="S1")
    assert stock[-1] == SeatStock(seat_id="S2-B-3", price_category="back", zone_id="S2")


async def test_given_a_seatmap_when_an_event_is_created_then_each_ga_zone_is_copied_by_id(
    create: Create,
) -> None:
    result = await create()

    assert isinstance(result, Ok)
    assert [(z.id, z.capacity) for z in result.value.ga_zones] == [("GA-1", 200), ("GA-2", 300)]


async def test_given_a_stadium_then_rows_equal_seats_and_counters_equal_zones(
    venues: InMemoryVenues,
    seatmaps: InMemorySeatmaps,
    events: InMemoryEvents,
    ids: SequentialIds,
    clock: SteppingClock,
    venue: Venue,
) -> None:
    key = SeatmapKey(venue.org_id, venue.id, "stadium")
    document = generate_seatmap(sections=20, rows=15, seats=25, ga_zones=4)
    await put_seatmap(PutSeatmap(key=key, document=document), venues=venues, seatmaps=seatmaps)
    prices = tuple(
        PriceCategory(id=c["id"], name=c["name"], amount=1000) for c in document["price_categories"]
    )

    result = await create_event(
        CreateEvent(
            org_id=key.org_id,
            venue_id=key.venue_id,
            seatmap_id=key.seatmap_id,
            terms=terms(price_categories=prices),
        ),
        venues=venues,
        seatmaps=seatmaps,
        events=events,
        ids=ids,
        clock=clock,
    )

    assert isinstance(result, Ok)
    assert len(events.seats_of(result.value.id)) == 20 * 15 * 25
    assert len(result.value.ga_zones) == 4


async def test_given_defaults_then_an_event_allows_ten_seats_per_hold_and_no_channels(
    create: Create,
) -> None:
    result = await create()

    assert isinstance(result, Ok)
    assert result.value.terms.max_seats_per_hold == 10
    assert result.value.terms.sales_channels == ()


async def test_a_start_time_given_with_an_offset_is_kept_in_utc(create: Create) -> None:
    paris = timezone(timedelta(hours=1))

    result = await create(terms(starts_at=datetime(2026, 11, 30, 21, 15, tzinfo=paris)))

    assert isinstance(result, Ok)
    assert result.value.terms.starts_at == STARTS_AT
    assert result.value.terms.starts_at.tzinfo is UTC


async def test_given_categories_the_event_leaves_unpriced_then_each_is_named(
    create: Create, events: InMemoryEvents
) -> None:
    result = await create(terms(price_categories=PRICES[:1]))

    assert result == Err(
        InvalidEvent(
            (
                Problem("price_categories", 'the seatmap uses "back", which has no price'),
                Problem("price_categories", 'the seatmap uses "floor", which has no price'),
            )
        )
    )
    assert await events.list("org_acme", after=None, limit=10) == []


async def test_given_bad_terms_then_every_problem_is_reported_at_once(create: Create) -> None:
    bad = terms(
        name=" ",
        starts_at=datetime(2026, 11, 30, 20, 15),
        currency="eur",
        max_seats_per_hold=101,
        price_categories=(*PRICES, PriceCategory(id="front", name="Again", amount=-1)),
        sales_channels=(SalesChannel(id="web", name=""),),
    )

    result = await create(bad)

    assert isinstance(result, Err)
    assert isinstance(result.error, InvalidEvent)
    assert [problem.path for problem in result.error.problems] == [
        "name",
        "starts_at",
        "currency",
        "max_seats_per_hold",
        "price_categories[3].id",
        "price_categories[3].amount",
        "sales_channels[0].name",
    ]


@pytest.mark.parametrize("max_seats", [1, 100])
async def test_max_seats_per_hold_may_be_from_1_to_100(create: Create, max_seats: int) -> None:
    assert isinstance(await create(terms(max_seats_per_hold=max_seats)), Ok)


async def test_given_another_organisations_venue_then_it_is_not_found(
    create: Create, seatmap_key: SeatmapKey
) -> None:
    assert await create(org_id="org_intruder") == Err(VenueNotFound(venue_id=seatmap_key.venue_id))


async def test_given_an_unknown_seatmap_then_it_is_not_found(
    create: Create, seatmap_key: SeatmapKey
) -> None:
    assert await create(seatmap_id="nope") == Err(
        SeatmapNotFound(venue_id=seatmap_key.venue_id, seatmap_id="nope")
    )


async def test_given_a_chosen_id_that_exists_then_the_event_exists(create: Create) -> None:
    await create(event_id="evt_demo")

    assert await create(event_id="evt_demo") == Err(EventExists(event_id="evt_demo"))


async def test_an_event_is_found_in_its_organisation_and_not_in_another(
    create: Create, events: InMemoryEvents
) -> None:
    created = await create()
    assert isinstance(created, Ok)
    event = created.value

    assert await get_event(event.org_id, event.id, events=events) == Ok(event)
    assert await get_event("org_intruder", event.id, events=events) == Err(
        EventNotFound(event_id=event.id)
    )


async def test_events_are_listed_by_start_time_across_pages(
    create: Create, events: InMemoryEvents, seatmap_key: SeatmapKey
) -> None:
    for day in (3, 1, 2):
        await create(terms(name=f"Day {day}", starts_at=STARTS_AT.replace(day=day)))

    first = await list_events(seatmap_key.org_id, limit=2, cursor=None, events=events)
    assert isinstance(first, Ok)
    second = await list_events(
        seatmap_key.org_id, limit=2, cursor=first.value.next_cursor, events=events
    )
    assert isinstance(second, Ok)

    names = [event.terms.name for event in (*first.value.items, *second.value.items)]
    assert names == ["Day 1", "Day 2", "Day 3"]
    assert second.value.next_cursor is None
