"""The availability stream's contract (reading, following, where it stands), run against
the in-memory fake and Redis. Events are published the one way they are in production:
by the lock store, in the same step as the change."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
import redis.asyncio

from lml_seating.application import AvailabilityEvents, HoldLocks, LockTerms, token_digest
from lml_seating.domain import ORIGIN, HoldScope, StreamPosition, resumption
from lml_seating.infrastructure import SeatingKeys, redis_gate

TERMS = LockTerms(ttl_seconds=30, max_lifetime_seconds=600)
TOKEN = token_digest("owner-token-" + "x" * 32)


@pytest.fixture
def event_id() -> str:
    return f"evt_{uuid.uuid4().hex[:12]}"


async def publish(locks: HoldLocks, event_id: str, seat: str) -> None:
    scope = HoldScope(
        id=f"hld_{uuid.uuid4().hex[:12]}",
        org_id="org_1",
        event_id=event_id,
        seat_ids=(seat,),
        ga=(),
        sales_channel_id=None,
    )
    await locks.acquire(scope, TOKEN, TERMS)


async def test_given_no_event_yet_then_the_stream_stands_at_the_origin(
    events: AvailabilityEvents, event_id: str
) -> None:
    assert await events.position(event_id) == StreamPosition(
        last_id=ORIGIN, first_id=None, trimmed=False
    )
    assert await events.since(event_id) == []
    assert not await events.has(event_id, "1-0")


async def test_given_published_events_then_position_and_has_name_them(
    locks: HoldLocks, events: AvailabilityEvents, event_id: str
) -> None:
    await publish(locks, event_id, "A-1")
    await publish(locks, event_id, "A-2")

    first, second = await events.since(event_id)

    assert await events.position(event_id) == StreamPosition(
        last_id=second.id, first_id=first.id, trimmed=False
    )
    assert await events.has(event_id, first.id)
    assert [e.id for e in await events.since(event_id, first.id)] == [second.id]


async def test_given_a_follower_waiting_when_an_event_is_published_then_it_gets_it(
    locks: HoldLocks, events: AvailabilityEvents, event_id: str
) -> None:
    start = (await events.position(event_id)).last_id
    follower = asyncio.create_task(events.follow(event_id, start, wait_seconds=1.5, limit=10))
    await asyncio.sleep(0.05)

    await publish(locks, event_id, "A-1")

    followed = await follower
    assert [e.type for e in followed] == ["seat.held"]
    assert followed == list(await events.since(event_id, start))


async def test_given_nothing_published_when_following_then_it_answers_empty_in_time(
    events: AvailabilityEvents, event_id: str
) -> None:
    assert (
        await asyncio.wait_for(
            events.follow(event_id, ORIGIN, wait_seconds=0.1, limit=10), timeout=1.5
        )
        == []
    )


async def test_given_a_trimmed_stream_then_a_client_behind_the_trim_must_resynchronise(
    harness: Any, locks: HoldLocks, events: AvailabilityEvents, event_id: str
) -> None:
    for seat in ("A-1", "A-2", "A-3"):
        await publish(locks, event_id, seat)
    first, second, third = await events.since(event_id)

    await harness.trim(event_id, 1)

    position = await events.position(event_id)
    assert position == StreamPosition(last_id=third.id, first_id=third.id, trimmed=True)
    assert not await events.has(event_id, first.id)
    assert resumption(first.id, position, known=False) == "too_old"
    assert resumption(second.id, position, known=False) == "too_old"
    assert resumption(ORIGIN, position, known=False) == "too_old"
    assert resumption(third.id, position, known=True) == "resume"


@pytest.mark.integration
async def test_given_entries_older_than_the_age_bound_when_an_event_is_published_then_they_go(
    redis_url: str, redis_key_prefix: str, event_id: str
) -> None:
    """Redis only: the scripts trim by age at each append (the fake keeps every entry)."""
    client = redis.asyncio.Redis.from_url(redis_url)
    gate = redis_gate(
        client,
        key_prefix=redis_key_prefix,
        stream_max_length=1000,
        max_lifetime_seconds=600,
        stream_max_age_seconds=0.2,
    )
    key = SeatingKeys(redis_key_prefix).stream(event_id)
    try:
        # Old enough to go: ids far in the past, as entries appended long ago have.
        for n in range(1, 201):
            await client.xadd(key, {"type": "seat.held", "data": "{}"}, id=f"{n}-0")

        await publish(gate.locks, event_id, "A-1")

        position = await gate.events.position(event_id)
        assert position.trimmed
        assert len(await gate.events.since(event_id, limit=1000)) < 201
    finally:
        await client.aclose()
