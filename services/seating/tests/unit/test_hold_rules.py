"""The rules every hold request and every snapshot obey, as properties."""

from __future__ import annotations

import hypothesis.strategies as st
from hypothesis import given

from lml_result import Err, Ok
from lml_seating.domain import (
    EventRules,
    GaQuantity,
    HoldPolicy,
    SeatInventory,
    ZoneCounts,
    availability,
    check_against_rules,
    shape_request,
)

POLICY = HoldPolicy(
    default_ttl_seconds=300, min_ttl_seconds=30, max_ttl_seconds=900, max_lifetime_seconds=1800
)
seat_ids = st.lists(st.text("ABC-123", min_size=1, max_size=4), max_size=8)
zones = st.lists(
    st.builds(GaQuantity, st.sampled_from(["GA", "VIP", "PIT"]), st.integers(-1, 5)), max_size=3
)


@given(seat_ids, zones, st.none() | st.integers(0, 2000))
def test_a_request_is_accepted_exactly_when_it_is_well_formed(
    seats: list[str], ga: list[GaQuantity], ttl: int | None
) -> None:
    outcome = shape_request(seats, ga, ttl, POLICY)

    well_formed = (
        (seats or ga)
        and len(set(seats)) == len(seats)
        and len({item.zone_id for item in ga}) == len(ga)
        and all(item.quantity >= 1 for item in ga)
        and (ttl is None or 30 <= ttl <= 900)
    )
    assert isinstance(outcome, Ok) == bool(well_formed)
    if isinstance(outcome, Ok):
        assert list(outcome.value.seat_ids) == sorted(seats)
        assert [item.zone_id for item in outcome.value.ga] == sorted(i.zone_id for i in ga)
        assert outcome.value.ttl_seconds == (300 if ttl is None else ttl)


@given(st.integers(0, 6), st.integers(0, 6), st.integers(1, 8))
def test_a_hold_is_refused_exactly_when_its_places_exceed_the_event_limit(
    seats: int, places: int, limit: int
) -> None:
    shape = shape_request(
        [f"S-{n}" for n in range(seats)],
        [GaQuantity("GA", places)] if places else [],
        None,
        POLICY,
    )
    rules = EventRules(
        event_id="evt",
        max_seats_per_hold=limit,
        sales_channels=frozenset(),
        zone_capacities={"GA": 9},
    )
    if isinstance(shape, Err):
        assert seats == places == 0
        return

    outcome = check_against_rules(shape.value, None, rules)

    assert isinstance(outcome, Err) == (seats + places > limit)


statuses = st.sampled_from(["available", "held", "sold", "blocked"])
seat_rows = st.lists(
    st.tuples(statuses, st.none() | st.sampled_from(["web", "box"]), st.booleans()), max_size=30
)
zone_rows = st.lists(
    st.tuples(st.integers(1, 50), st.integers(-5, 60), st.integers(-5, 60), st.booleans()),
    max_size=4,
)


@given(seat_rows, zone_rows, st.none() | st.sampled_from(["web", "box"]))
def test_snapshot_counts_always_add_up_to_the_capacity(
    seats: list[tuple[str, str | None, bool]],
    zone_counts: list[tuple[int, int, int, bool]],
    channel: str | None,
) -> None:
    inventory = [
        SeatInventory(
            seat_id=f"S-{n}", status=status, price_category="std", sales_channel_id=seat_channel
        )
        for n, (status, seat_channel, _) in enumerate(seats)
    ]
    locked = {f"S-{n}" for n, (_, _, is_locked) in enumerate(seats) if is_locked}
    stored = [
        ZoneCounts(zone_id=f"Z-{n}", capacity=capacity, held=0, sold=0)
        for n, (capacity, _, _, _) in enumerate(zone_counts)
    ]
    live = {
        f"Z-{n}": ZoneCounts(zone_id=f"Z-{n}", capacity=capacity, held=held, sold=sold)
        for n, (capacity, held, sold, is_live) in enumerate(zone_counts)
        if is_live
    }

    snapshot = availability(
        "evt",
        inventory,
        stored,
        stream_id="0-0",
        locked_seats=locked,
        live_zones=live,
        sales_channel_id=channel,
    )

    counts = snapshot.counts
    capacity = len(seats) + sum(capacity for capacity, *_ in zone_counts)
    assert counts.available + counts.held + counts.sold + counts.blocked == capacity
    assert all(zone.available >= 0 and zone.held >= 0 and zone.sold >= 0 for zone in snapshot.zones)
    assert all(view.status != "available" for view in snapshot.seats if view.id in locked)
