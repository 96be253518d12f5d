"""Frames written straight to a caught-up subscriber's connection by the hub's reader,
and queued in its mailbox (in order, bounded) whenever that connection cannot take them."""

from __future__ import annotations

import asyncio

import msgspec

from lml_api.streaming.hub import (
    HEARTBEAT,
    MAX_BATCH_WINDOW_SECONDS,
    WRITES_PER_SECOND,
    AvailabilityHub,
    Frame,
    Mailbox,
)
from lml_seating.domain import PublishedEvent, stream_order
from lml_seating.fakes import InMemoryAvailabilityEvents
from lml_testing.polling import eventually

EVENT = "evt_direct"


class Change(msgspec.Struct):
    seat: str


class FakeConnection:
    """What ``lml_api.streaming.direct.Connection`` offers: writable or not, chunks."""

    def __init__(self) -> None:
        self.open = True
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return self.open

    def write(self, chunk: bytes) -> None:
        self.chunks.append(chunk)


def event(n: int) -> PublishedEvent:
    return PublishedEvent(id=f"{n}-0", type="seat.held", data=b'{"seat":"A-%d"}' % n)


def frame(*ns: int) -> Frame:
    return Frame.of([event(n) for n in ns])


def mailbox_on(connection: FakeConnection | None, capacity: int = 4) -> Mailbox:
    mailbox = Mailbox(capacity, asyncio.Event())
    mailbox.attach(connection)  # type: ignore[arg-type]
    return mailbox


def test_given_a_frame_then_its_chunk_is_its_bytes_in_chunked_transfer_coding() -> None:
    wire = frame(1).wire

    assert frame(1).chunk == b"%x\r\n" % len(wire) + wire + b"\r\n"


async def test_given_a_writable_connection_when_a_frame_is_offered_then_it_is_written_at_once() -> (
    None
):
    connection = FakeConnection()
    mailbox = mailbox_on(connection)

    written = mailbox.offer(frame(1, 2))

    assert written == 2
    assert connection.chunks == [frame(1, 2).chunk]
    assert mailbox.position == stream_order("2-0")
    assert not mailbox._frames  # nothing queued, no task woken


async def test_given_events_already_sent_when_a_frame_repeats_them_then_only_later_ones_go() -> (
    None
):
    connection = FakeConnection()
    mailbox = mailbox_on(connection)
    mailbox.position = stream_order("2-0")

    assert mailbox.offer(frame(1, 2)) == 0
    assert mailbox.offer(frame(2, 3)) == 1

    assert connection.chunks == [frame(3).chunk]


async def test_given_a_connection_that_cannot_take_more_then_frames_queue_and_keep_order() -> None:
    connection = FakeConnection()
    mailbox = mailbox_on(connection)
    connection.open = False
    mailbox.offer(frame(1))
    connection.open = True

    mailbox.offer(frame(2))  # one is waiting: this one must not overtake it
    taken = await mailbox.take()
    mailbox.offer(frame(3))  # the taken ones are not written yet

    assert connection.chunks == []
    assert [f.last for f in taken] == [stream_order("1-0"), stream_order("2-0")]
    assert [f.last for f in await mailbox.take()] == [stream_order("3-0")]
    waiting = asyncio.create_task(mailbox.take())  # all written, the subscriber waits
    await asyncio.sleep(0)
    mailbox.offer(frame(4))  # straight to the connection again

    assert connection.chunks == [frame(4).chunk]
    assert not waiting.done()
    waiting.cancel()


async def test_given_a_stuck_connection_when_the_mailbox_fills_then_the_subscriber_is_dropped() -> (
    None
):
    connection = FakeConnection()
    connection.open = False
    mailbox = mailbox_on(connection, capacity=2)

    for n in range(3):
        mailbox.offer(frame(n + 1))

    assert mailbox.overflowed
    assert mailbox.dropped.is_set()
    assert mailbox.offer(frame(9)) == 0
    assert connection.chunks == []


async def test_given_a_quiet_event_then_the_heartbeat_is_written_directly_too() -> None:
    connection = FakeConnection()
    mailbox = mailbox_on(connection)

    mailbox.offer(HEARTBEAT)

    assert connection.chunks == [HEARTBEAT.chunk]
    assert mailbox.position == (0, 0)


async def test_given_connected_subscribers_then_the_reader_writes_each_event_to_each() -> None:
    events = InMemoryAvailabilityEvents()
    hub = AvailabilityHub(
        events,
        batch_window_seconds=0,
        mailbox_capacity=8,
        heartbeat_seconds=5,
        follow_wait_seconds=0.05,
    )
    connections = [FakeConnection(), FakeConnection()]
    async with hub.subscribe(EVENT) as one, hub.subscribe(EVENT) as other:
        for subscription, connection in zip((one, other), connections, strict=True):
            subscription.mailbox.position = stream_order(subscription.after)
            subscription.mailbox.attach(connection)  # type: ignore[arg-type]
        for seat in ("A-1", "A-2", "A-3"):
            events.append(EVENT, "seat.held", Change(seat))
            await asyncio.sleep(0.02)
        await eventually(
            lambda: all(b"".join(c.chunks).count(b"event: seat.held") == 3 for c in connections)
        )

    ids = [e.id for e in await events.since(EVENT)]
    for connection in connections:
        body = b"".join(connection.chunks)
        assert [line[4:].decode() for line in body.split(b"\n") if line.startswith(b"id: ")] == ids


def test_given_many_subscribers_then_the_batching_window_widens_within_its_bound() -> None:
    hub = AvailabilityHub(
        InMemoryAvailabilityEvents(),
        batch_window_seconds=0.05,
        mailbox_capacity=8,
        heartbeat_seconds=5,
    )
    off = AvailabilityHub(
        InMemoryAvailabilityEvents(),
        batch_window_seconds=0,
        mailbox_capacity=8,
        heartbeat_seconds=5,
    )

    assert hub.window_for(10) == 0.05
    assert hub.window_for(WRITES_PER_SECOND // 20) == 0.05
    assert 0.05 < hub.window_for(4_000) < MAX_BATCH_WINDOW_SECONDS
    assert hub.window_for(1_000_000) == MAX_BATCH_WINDOW_SECONDS
    assert off.window_for(1_000_000) == 0
