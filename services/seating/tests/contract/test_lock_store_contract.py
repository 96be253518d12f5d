"""The lock store's contract (its hold, expiry and live-read ports), run against the
in-memory fake and Redis."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import msgspec
import pytest

from lml_seating.application import (
    Acquired,
    AvailabilityEvents,
    Expired,
    ExpiryQueue,
    Extended,
    HoldLocks,
    LiveLocks,
    LockConflict,
    LockRefused,
    LockTerms,
    NotDue,
    Released,
    ZonesNotLoaded,
    token_digest,
)
from lml_seating.domain import GaQuantity, HoldScope, ZoneCounts, rfc3339

TTL = 30.0
SHORT_TTL = 0.2
LIFETIME = 1800.0
TOKEN = token_digest("owner-token-" + "x" * 32)
OTHER_TOKEN = token_digest("someone-else-" + "y" * 32)


def a_lock(
    event_id: str,
    seats: tuple[str, ...] = (),
    ga: tuple[GaQuantity, ...] = (),
    channel: str | None = None,
) -> HoldScope:
    return HoldScope(
        org_id="org_1",
        event_id=event_id,
        id=f"hld_{uuid.uuid4().hex[:12]}",
        seat_ids=seats,
        ga=ga,
        sales_channel_id=channel,
    )


@pytest.fixture
def event_id() -> str:
    return f"evt_{uuid.uuid4().hex[:12]}"


async def acquired(
    locks: HoldLocks, lock: HoldScope, ttl: float = TTL, lifetime: float = LIFETIME
) -> Acquired:
    outcome = await locks.acquire(
        lock, TOKEN, LockTerms(ttl_seconds=ttl, max_lifetime_seconds=lifetime)
    )
    assert isinstance(outcome, Acquired), outcome
    return outcome


async def published(events: AvailabilityEvents, event_id: str) -> list[tuple[str, Any]]:
    return [(e.type, msgspec.json.decode(e.data)) for e in await events.since(event_id)]


async def test_given_free_seats_when_acquired_then_the_hold_locks_them_and_seat_held_is_published(
    locks: HoldLocks, live: LiveLocks, events: AvailabilityEvents, event_id: str
) -> None:
    lock = a_lock(event_id, ("A-1", "A-2"), channel="box-office")

    outcome = await acquired(locks, lock)

    assert outcome.expires_at > outcome.created_at
    assert await live.holders(event_id, ["A-1", "A-2", "A-3"]) == {
        "A-1": lock.id,
        "A-2": lock.id,
    }
    assert await published(events, event_id) == [
        (
            "seat.held",
            {
                "event_id": event_id,
                "hold_id": lock.id,
                "seat_ids": ["A-1", "A-2"],
                "ga": [],
                "expires_at": rfc3339(outcome.expires_at),
                "sales_channel_id": "box-office",
            },
        )
    ]


async def test_given_a_ttl_when_acquired_then_it_expires_that_long_after_creation(
    locks: HoldLocks, event_id: str
) -> None:
    outcome = await acquired(locks, a_lock(event_id, ("A-1",)), ttl=90, lifetime=600)

    assert (outcome.expires_at - outcome.created_at).total_seconds() == 90
    assert (outcome.max_expires_at - outcome.created_at).total_seconds() == 600


async def test_given_taken_seats_when_acquiring_then_every_conflict_is_named_and_nothing_changes(
    locks: HoldLocks, live: LiveLocks, events: AvailabilityEvents, event_id: str
) -> None:
    await locks.load_zones(event_id, [ZoneCounts(zone_id="GA", capacity=2, held=0, sold=1)])
    first = a_lock(event_id, ("A-1", "A-3"))
    await acquired(locks, first)
    before = await published(events, event_id)

    outcome = await locks.acquire(
        a_lock(event_id, ("A-1", "A-2", "A-3"), (GaQuantity("GA", 2),)),
        TOKEN,
        LockTerms(ttl_seconds=TTL, max_lifetime_seconds=LIFETIME),
    )

    assert outcome == LockConflict(("A-1", "A-3"), ("GA",))
    assert await live.holders(event_id, ["A-1", "A-2", "A-3"]) == {
        "A-1": first.id,
        "A-3": first.id,
    }
    assert (await live.zones(event_id, ["GA"]))["GA"].held == 0
    assert await published(events, event_id) == before


async def test_given_a_zone_without_counters_when_acquiring_then_it_asks_for_them_first(
    locks: HoldLocks, live: LiveLocks, event_id: str
) -> None:
    lock = a_lock(event_id, ("A-1",), (GaQuantity("GA", 1), GaQuantity("VIP", 1)))
    await locks.load_zones(event_id, [ZoneCounts(zone_id="VIP", capacity=5, held=0, sold=0)])

    outcome = await locks.acquire(
        lock, TOKEN, LockTerms(ttl_seconds=TTL, max_lifetime_seconds=LIFETIME)
    )

    assert outcome == ZonesNotLoaded(("GA",))
    assert await live.holders(event_id, ["A-1"]) == {}


async def test_given_loaded_counters_when_loading_again_then_the_live_counters_are_kept(
    locks: HoldLocks, live: LiveLocks, event_id: str
) -> None:
    await locks.load_zones(event_id, [ZoneCounts(zone_id="GA", capacity=10, held=0, sold=0)])
    await acquired(locks, a_lock(event_id, ga=(GaQuantity("GA", 3),)))

    await locks.load_zones(event_id, [ZoneCounts(zone_id="GA", capacity=10, held=0, sold=0)])

    assert await live.zones(event_id, ["GA", "NONE"]) == {
        "GA": ZoneCounts(zone_id="GA", capacity=10, held=3, sold=0)
    }


async def test_given_a_zone_when_holding_up_to_capacity_then_the_next_place_conflicts(
    locks: HoldLocks, event_id: str
) -> None:
    await locks.load_zones(event_id, [ZoneCounts(zone_id="GA", capacity=5, held=1, sold=1)])
    await acquired(locks, a_lock(event_id, ga=(GaQuantity("GA", 3),)))

    outcome = await locks.acquire(
        a_lock(event_id, ga=(GaQuantity("GA", 1),)),
        TOKEN,
        LockTerms(ttl_seconds=TTL, max_lifetime_seconds=LIFETIME),
    )

    assert outcome == LockConflict((), ("GA",))


async def test_given_a_hold_when_extended_with_its_token_then_it_lasts_longer_and_is_republished(
    harness: Any, locks: HoldLocks, events: AvailabilityEvents, event_id: str
) -> None:
    lock = a_lock(event_id, ("A-1",))
    first = await acquired(locks, lock, ttl=TTL)
    await harness.let_pass(0.05)

    outcome = await locks.extend(lock, TOKEN, TTL)

    assert isinstance(outcome, Extended)
    assert outcome.expires_at > first.expires_at
    kinds = [(kind, data["expires_at"]) for kind, data in await published(events, event_id)]
    assert kinds[-1] == ("seat.held", rfc3339(outcome.expires_at))


async def test_given_a_wrong_token_when_extending_releasing_or_rolling_back_then_nothing_changes(
    locks: HoldLocks, live: LiveLocks, events: AvailabilityEvents, event_id: str
) -> None:
    lock = a_lock(event_id, ("A-1",))
    await acquired(locks, lock)
    before = await published(events, event_id)

    assert await locks.extend(lock, OTHER_TOKEN, TTL) == LockRefused("token")
    assert await locks.release(lock, OTHER_TOKEN) == LockRefused("token")
    assert await locks.rollback(lock, OTHER_TOKEN) == LockRefused("token")
    assert await live.holders(event_id, ["A-1"]) == {"A-1": lock.id}
    assert await published(events, event_id) == before


async def test_given_a_hold_when_extended_past_its_lifetime_then_it_is_refused_with_the_limit(
    locks: HoldLocks, event_id: str
) -> None:
    lock = a_lock(event_id, ("A-1",))
    first = await acquired(locks, lock, ttl=60, lifetime=100)

    outcome = await locks.extend(lock, TOKEN, 200)

    assert outcome == LockRefused("limit", first.max_expires_at)


async def test_given_a_hold_when_released_then_its_seats_and_places_are_free_and_it_is_published(
    locks: HoldLocks, live: LiveLocks, events: AvailabilityEvents, event_id: str
) -> None:
    await locks.load_zones(event_id, [ZoneCounts(zone_id="GA", capacity=5, held=0, sold=0)])
    lock = a_lock(event_id, ("A-1",), (GaQuantity("GA", 2),))
    await acquired(locks, lock)

    assert await locks.release(lock, TOKEN) == Released()

    assert await live.holders(event_id, ["A-1"]) == {}
    assert (await live.zones(event_id, ["GA"]))["GA"].held == 0
    assert (await published(events, event_id))[-2:] == [
        (
            "seat.released",
            {
                "event_id": event_id,
                "hold_id": lock.id,
                "seat_ids": ["A-1"],
                "ga": [{"zone_id": "GA", "quantity": 2}],
                "reason": "released",
                "sales_channel_id": None,
            },
        ),
        (
            "zone.updated",
            {"event_id": event_id, "zone_id": "GA", "available": 5, "held": 0, "sold": 0},
        ),
    ]


async def test_given_a_released_hold_when_released_again_then_it_has_ended(
    locks: HoldLocks, event_id: str
) -> None:
    lock = a_lock(event_id, ("A-1",))
    await acquired(locks, lock)
    await locks.release(lock, TOKEN)

    assert await locks.release(lock, TOKEN) == LockRefused("ended")
    assert await locks.extend(lock, TOKEN, TTL) == LockRefused("ended")


async def test_given_an_unknown_hold_when_released_then_the_store_says_it_does_not_know_it(
    locks: HoldLocks, event_id: str
) -> None:
    assert await locks.release(a_lock(event_id, ("A-1",)), TOKEN) == LockRefused("unknown")


async def test_given_an_acquired_hold_when_rolled_back_then_exactly_what_it_took_is_freed(
    locks: HoldLocks, live: LiveLocks, events: AvailabilityEvents, event_id: str
) -> None:
    await locks.load_zones(event_id, [ZoneCounts(zone_id="GA", capacity=5, held=1, sold=0)])
    other = a_lock(event_id, ("B-1",))
    await acquired(locks, other)
    lock = a_lock(event_id, ("A-1", "A-2"), (GaQuantity("GA", 2),))
    await acquired(locks, lock)

    assert await locks.rollback(lock, TOKEN) == Released()

    assert await live.holders(event_id, ["A-1", "A-2", "B-1"]) == {"B-1": other.id}
    assert (await live.zones(event_id, ["GA"]))["GA"].held == 1
    kind, data = (await published(events, event_id))[-2]
    assert (kind, data["reason"], data["hold_id"]) == ("seat.released", "rolled_back", lock.id)


async def test_given_an_expired_hold_then_its_seats_are_free_and_its_token_no_longer_works(
    harness: Any, locks: HoldLocks, live: LiveLocks, event_id: str
) -> None:
    lock = a_lock(event_id, ("A-1",))
    await acquired(locks, lock, ttl=SHORT_TTL)

    await harness.let_pass(SHORT_TTL)

    assert await live.holders(event_id, ["A-1"]) == {}
    assert await locks.extend(lock, TOKEN, TTL) == LockRefused("expired")
    assert await locks.release(lock, TOKEN) == LockRefused("expired")
    await acquired(locks, a_lock(event_id, ("A-1",)))


async def test_given_a_running_hold_when_expiring_then_it_is_not_due(
    locks: HoldLocks, expiries: ExpiryQueue, event_id: str
) -> None:
    lock = a_lock(event_id, ("A-1",))
    await acquired(locks, lock)

    assert await expiries.expire(lock) == NotDue()
    assert await expiries.due(100) == []


async def test_given_expired_holds_when_many_sweepers_expire_them_then_each_is_released_once(
    harness: Any,
    locks: HoldLocks,
    expiries: ExpiryQueue,
    live: LiveLocks,
    events: AvailabilityEvents,
    event_id: str,
) -> None:
    await locks.load_zones(event_id, [ZoneCounts(zone_id="GA", capacity=5, held=0, sold=0)])
    first = a_lock(event_id, ("A-1",), (GaQuantity("GA", 2),))
    second = a_lock(event_id, ("A-2",), channel="web")
    await acquired(locks, first, ttl=SHORT_TTL)
    await acquired(locks, second, ttl=SHORT_TTL)
    await harness.let_pass(SHORT_TTL)

    due = await expiries.due(100)
    outcomes = await asyncio.gather(*(expiries.expire(lock) for lock in [*due, *due, *due]))

    assert sorted(lock.id for lock in due) == sorted([first.id, second.id])
    assert {lock.id: lock for lock in due}[first.id] == first
    assert outcomes.count(Expired()) == 2
    assert outcomes.count(LockRefused("ended")) == 4
    releases = [d for kind, d in await published(events, event_id) if kind == "seat.released"]
    assert sorted((d["hold_id"], d["reason"]) for d in releases) == sorted(
        [(first.id, "expired"), (second.id, "expired")]
    )
    assert (await live.zones(event_id, ["GA"]))["GA"].held == 0
    assert await expiries.due(100) == []


async def test_given_an_expired_and_retaken_seat_when_the_old_hold_expires_then_the_new_keeps_it(
    harness: Any, locks: HoldLocks, expiries: ExpiryQueue, live: LiveLocks, event_id: str
) -> None:
    old = a_lock(event_id, ("A-1",))
    await acquired(locks, old, ttl=SHORT_TTL)
    await harness.let_pass(SHORT_TTL)
    new = a_lock(event_id, ("A-1",))
    await acquired(locks, new)

    assert await expiries.expire(old) == Expired()

    assert await live.holders(event_id, ["A-1"]) == {"A-1": new.id}


async def test_given_an_expired_hold_when_rolled_back_then_it_is_still_undone(
    harness: Any, locks: HoldLocks, expiries: ExpiryQueue, event_id: str
) -> None:
    lock = a_lock(event_id, ("A-1",))
    await acquired(locks, lock, ttl=SHORT_TTL)
    await harness.let_pass(SHORT_TTL)

    assert await locks.rollback(lock, TOKEN) == Released()
    assert await expiries.expire(lock) == LockRefused("ended")


async def test_given_a_store_that_lost_its_state_when_a_hold_is_expired_then_it_is_released_once(
    harness: Any, locks: HoldLocks, expiries: ExpiryQueue, events: AvailabilityEvents, event_id: str
) -> None:
    lock = a_lock(event_id, ("A-1",))
    await acquired(locks, lock)
    await harness.forget_everything()

    outcomes = [await expiries.expire(lock), await expiries.expire(lock)]

    assert outcomes == [Expired(), LockRefused("ended")]
    kinds = [kind for kind, _ in await published(events, event_id)]
    assert kinds.count("seat.released") == 1
    assert await locks.release(lock, TOKEN) == LockRefused("ended")


async def test_given_stream_entries_when_read_after_one_then_only_later_ones_come(
    locks: HoldLocks, events: AvailabilityEvents, event_id: str
) -> None:
    lock = a_lock(event_id, ("A-1",))
    await acquired(locks, lock)
    await locks.release(lock, TOKEN)
    first, second = await events.since(event_id)

    assert await events.since(event_id, first.id) == [second]
    assert await events.since(event_id, second.id) == []
