"""The hub that fans each event's stream out to this process's subscribers, and the
wire format it writes once per frame."""

from __future__ import annotations

import asyncio

import msgspec
import pytest

from lml_api.streaming import sse
from lml_api.streaming.hub import AvailabilityHub
from lml_metrics import REGISTRY
from lml_seating.domain import PublishedEvent
from lml_seating.fakes import InMemoryAvailabilityEvents
from lml_testing.polling import eventually

EVENT = "evt_hub"


class Change(msgspec.Struct):
    seat: str


def readers() -> float:
    return REGISTRY.get_sample_value("lml_availability_readers") or 0.0


@pytest.fixture
def events() -> InMemoryAvailabilityEvents:
    return InMemoryAvailabilityEvents()


def hub_on(
    events: InMemoryAvailabilityEvents, *, window: float = 0, capacity: int = 8
) -> AvailabilityHub:
    return AvailabilityHub(
        events,
        batch_window_seconds=window,
        mailbox_capacity=capacity,
        heartbeat_seconds=0.3,
        follow_wait_seconds=0.1,
    )


def test_given_one_event_then_it_goes_out_as_itself_with_its_id() -> None:
    event = PublishedEvent(id="5-0", type="seat.held", data=b'{"seat":"A-1"}')

    assert sse.events_message([event]) == b'id: 5-0\nevent: seat.held\ndata: {"seat":"A-1"}\n\n'


def test_given_several_events_then_one_batch_lists_them_in_order_under_the_last_id() -> None:
    batch = [
        PublishedEvent(id="5-0", type="seat.held", data=b'{"seat":"A-1"}'),
        PublishedEvent(id="5-1", type="seat.released", data=b'{"seat":"A-2"}'),
    ]

    wire = sse.events_message(batch)

    head, data = wire.split(b"\ndata: ")
    assert head == b"id: 5-1\nevent: seat.batch"
    assert msgspec.json.decode(data) == {
        "events": [
            {"id": "5-0", "event": "seat.held", "data": {"seat": "A-1"}},
            {"id": "5-1", "event": "seat.released", "data": {"seat": "A-2"}},
        ]
    }


async def test_given_a_burst_within_the_window_then_subscribers_get_it_as_one_frame(
    events: InMemoryAvailabilityEvents,
) -> None:
    hub = hub_on(events, window=0.05)
    async with hub.subscribe(EVENT) as subscription:
        for seat in ("A-1", "A-2", "A-3"):
            events.append(EVENT, "seat.held", Change(seat))
            await asyncio.sleep(0.005)
        frames = await subscription.mailbox.take()

    assert frames is not None
    (frame,) = frames
    assert [e.id for e in frame.events] == [e.id for e in await events.since(EVENT)]
    assert b"event: seat.batch" in frame.wire


async def test_given_events_before_a_subscriber_joined_then_its_frames_hold_only_later_ones(
    events: InMemoryAvailabilityEvents,
) -> None:
    earlier = events.append(EVENT, "seat.held", Change("A-1"))
    hub = hub_on(events)
    async with hub.subscribe(EVENT) as subscription:
        later = events.append(EVENT, "seat.held", Change("A-2"))
        frames = await subscription.mailbox.take()

    assert subscription.after == earlier.id
    assert frames is not None
    assert [e.id for frame in frames for e in frame.events] == [later.id]


async def test_given_two_subscribers_when_one_stops_taking_then_only_it_is_dropped(
    events: InMemoryAvailabilityEvents,
) -> None:
    hub = hub_on(events, capacity=2)
    dropped = asyncio.Event()
    async with hub.subscribe(EVENT, dropped) as slow, hub.subscribe(EVENT) as fast:
        received = []
        for n in range(6):
            events.append(EVENT, "seat.held", Change(f"A-{n}"))
            frames = await fast.mailbox.take()
            received += [e.id for frame in frames for e in frame.events]

        assert dropped.is_set()
        assert slow.mailbox.overflowed
        assert await slow.mailbox.take() == []
        assert not fast.mailbox.overflowed
    assert received == [e.id for e in await events.since(EVENT)]


async def test_given_the_last_subscriber_leaves_then_the_events_reader_stops(
    events: InMemoryAvailabilityEvents,
) -> None:
    hub = hub_on(events)
    before = readers()
    async with hub.subscribe(EVENT), hub.subscribe(EVENT):
        assert readers() == before + 1

    await eventually(lambda: readers() == before)


async def test_given_a_quiet_event_then_its_subscribers_get_a_heartbeat(
    events: InMemoryAvailabilityEvents,
) -> None:
    hub = hub_on(events)
    async with hub.subscribe(EVENT) as subscription:
        async with asyncio.timeout(2):
            (frame,) = await subscription.mailbox.take()

    assert frame.events == ()
    assert frame.wire == b": heartbeat\n\n"
