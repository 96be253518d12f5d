"""One reader per event per process fans the availability stream out to that process's
subscribers: no subscriber reads Redis while it follows, and a slow one holds nobody up.

Each frame (the events of one read, or of one batching window) is written as bytes once
and the same buffer is queued for every subscriber. A subscriber whose queue is full is
dropped rather than buffered further; its client reconnects with ``Last-Event-ID`` and
misses nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from functools import cached_property

from prometheus_client import Counter, Gauge

from lml_api.streaming import metrics
from lml_api.streaming.direct import Connection
from lml_api.streaming.sse import comment, events_message
from lml_metrics import REGISTRY
from lml_seating.application import AvailabilityEvents
from lml_seating.domain import PublishedEvent, stream_order

log = logging.getLogger("lml.api.availability")

# Events one read takes at most; a longer burst is simply read again at once.
READ_LIMIT = 1_000
# How long one blocking read waits; below the Redis client's socket timeout.
FOLLOW_WAIT_SECONDS = 1.0
RETRY_AFTER_FAILURE_SECONDS = 0.5
# Subscriber writes a second one event's frames may cost this process: with many
# subscribers the batching window widens (up to MAX_BATCH_WINDOW_SECONDS) so that a busy
# event's frames times its subscribers stays about this (docs/decisions/0010).
WRITES_PER_SECOND = 50_000
MAX_BATCH_WINDOW_SECONDS = 0.1

SUBSCRIBERS = Gauge(
    "lml_availability_subscribers",
    "Availability stream subscribers connected to this process.",
    registry=REGISTRY,
)
READERS = Gauge(
    "lml_availability_readers",
    "Events this process reads the availability stream of (one reader each).",
    registry=REGISTRY,
)
DROPPED = Counter(
    "lml_availability_slow_subscribers_dropped_total",
    "Subscribers disconnected because they fell a full buffer behind.",
    registry=REGISTRY,
)


@dataclass(frozen=True)
class Frame:
    """Events and their SSE bytes, with what every subscriber compares once per write
    worked out once: the stream order of the first and last, and the first's
    publication time (milliseconds, Redis's clock)."""

    events: tuple[PublishedEvent, ...]
    wire: bytes
    first: tuple[int, int]
    last: tuple[int, int]

    @classmethod
    def of(cls, events: Sequence[PublishedEvent]) -> Frame:
        return cls(
            tuple(events),
            events_message(events),
            stream_order(events[0].id),
            stream_order(events[-1].id),
        )

    @cached_property
    def chunk(self) -> bytes:
        """The wire bytes as one chunk of a chunked HTTP/1.1 body, for direct writes."""
        return b"%x\r\n" % len(self.wire) + self.wire + b"\r\n"

    def after(self, sent: tuple[int, int]) -> Frame | None:
        """What of this frame a subscriber that has ``sent`` up to there still needs."""
        if not self.events or self.first > sent:
            return self
        if self.last <= sent:
            return None
        return Frame.of([e for e in self.events if stream_order(e.id) > sent])


# What a quiet event's subscribers are sent every heartbeat, so proxies and clients see
# the connection live.
HEARTBEAT = Frame((), comment("heartbeat"), (0, 0), (0, 0))


class Mailbox:
    """A subscriber's frames waiting to be written, at most ``capacity`` of them. One
    more, and the subscriber is dropped: ``overflowed`` is set, so is ``dropped`` (which
    ends its response even while a write to its client is stuck), and nothing is kept.

    ``position`` is the stream order of the last event its client was sent. With a
    ``Connection`` attached (``attach``), a frame offered while nothing waits and the
    subscriber's task holds nothing unwritten goes straight to the connection, cut to what
    is after ``position``: no task wakes up for it. Otherwise (no connection, its buffer at
    the high-water mark, frames already waiting) it queues as before, so frames go out in
    order either way."""

    __slots__ = (
        "_capacity",
        "_connection",
        "_frames",
        "_in_hand",
        "_ready",
        "dropped",
        "overflowed",
        "position",
    )

    def __init__(self, capacity: int, dropped: asyncio.Event) -> None:
        self._capacity = capacity
        self._frames: deque[Frame] = deque()
        self._ready = asyncio.Event()
        self._connection: Connection | None = None
        self._in_hand = False
        self.dropped = dropped
        self.overflowed = False
        self.position: tuple[int, int] = (0, 0)

    def attach(self, connection: Connection | None) -> None:
        self._connection = connection

    def offer(self, frame: Frame) -> int:
        """How many events went straight to the connection (0 when queued or dropped)."""
        if self.overflowed:
            return 0
        connection = self._connection
        if (
            connection is not None
            and not self._frames
            and not self._in_hand
            and connection.writable()
        ):
            fresh = (
                frame
                if not frame.events or frame.first > self.position
                else frame.after(self.position)
            )
            if fresh is None:
                return 0
            connection.write(fresh.chunk)
            if fresh.events:
                self.position = fresh.last
            return len(fresh.events)
        if len(self._frames) >= self._capacity:
            self.overflowed = True
            self._frames.clear()
            self.dropped.set()
            DROPPED.inc()
        else:
            self._frames.append(frame)
        self._ready.set()
        return 0

    async def take(self) -> list[Frame]:
        """Every frame waiting, once there is one (heartbeats included: the reader sends
        them, so no subscriber keeps a timer). Empty once the mailbox overflowed. Calling
        it again says the frames it gave last are written."""
        self._in_hand = False
        if not self._frames and not self.overflowed:
            self._ready.clear()
            await self._ready.wait()
        frames = list(self._frames)
        self._frames.clear()
        self._in_hand = bool(frames)
        return frames


@dataclass
class _Reader:
    mailboxes: set[Mailbox] = field(default_factory=set)
    cursor: str | None = None
    started: asyncio.Event = field(default_factory=asyncio.Event)
    failure: BaseException | None = None
    task: asyncio.Task[None] | None = None


@dataclass(frozen=True)
class Subscription:
    mailbox: Mailbox
    after: str
    """The reader's position when the mailbox joined: its frames hold only later events."""


class AvailabilityHub:
    def __init__(
        self,
        events: AvailabilityEvents,
        *,
        batch_window_seconds: float,
        mailbox_capacity: int,
        heartbeat_seconds: float,
        follow_wait_seconds: float = FOLLOW_WAIT_SECONDS,
    ) -> None:
        self._events = events
        self._window = batch_window_seconds
        self._capacity = mailbox_capacity
        self._heartbeat = heartbeat_seconds
        self._wait = min(follow_wait_seconds, heartbeat_seconds)
        self._readers: dict[str, _Reader] = {}

    @asynccontextmanager
    async def subscribe(
        self, event_id: str, dropped: asyncio.Event | None = None
    ) -> AsyncIterator[Subscription]:
        """``dropped`` is set if the subscriber falls a full mailbox behind."""
        reader = self._readers.get(event_id)
        if reader is None:
            reader = self._readers[event_id] = _Reader()
            reader.task = asyncio.create_task(self._read(event_id, reader))
            READERS.inc()
        mailbox = Mailbox(self._capacity, dropped or asyncio.Event())
        # Counted as a subscriber before the first await, so the reader outlives the wait.
        reader.mailboxes.add(mailbox)
        SUBSCRIBERS.inc()
        try:
            await reader.started.wait()
            if reader.failure is not None:
                raise reader.failure
            assert reader.cursor is not None
            yield Subscription(mailbox, reader.cursor)
        finally:
            SUBSCRIBERS.dec()
            reader.mailboxes.discard(mailbox)
            if not reader.mailboxes and self._readers.get(event_id) is reader:
                await self._stop(event_id, reader)

    async def aclose(self) -> None:
        for event_id, reader in list(self._readers.items()):
            await self._stop(event_id, reader)

    async def _stop(self, event_id: str, reader: _Reader) -> None:
        del self._readers[event_id]
        READERS.dec()
        if reader.task is not None:
            reader.task.cancel()
            with suppress(asyncio.CancelledError):
                await reader.task

    async def _read(self, event_id: str, reader: _Reader) -> None:
        try:
            reader.cursor = (await self._events.position(event_id)).last_id
        except Exception as error:
            reader.failure = error
            self._readers.pop(event_id, None)
            READERS.dec()
            return
        finally:
            reader.started.set()
        quiet_since = time.monotonic()
        while True:
            try:
                if await self._read_once(event_id, reader):
                    quiet_since = time.monotonic()
                elif time.monotonic() - quiet_since >= self._heartbeat:
                    self._offer(reader, HEARTBEAT)
                    quiet_since = time.monotonic()
            except Exception:
                log.exception("availability stream read failed", extra={"event_id": event_id})
                await asyncio.sleep(RETRY_AFTER_FAILURE_SECONDS)

    def window_for(self, subscribers: int) -> float:
        """The configured batching window, widened for many subscribers so that frames
        times subscribers stays near ``WRITES_PER_SECOND``, never past
        ``MAX_BATCH_WINDOW_SECONDS`` (nor narrowed, nor turned on when configured off)."""
        if self._window <= 0:
            return 0.0
        wide = min(subscribers / WRITES_PER_SECOND, MAX_BATCH_WINDOW_SECONDS)
        return max(self._window, wide)

    async def _read_once(self, event_id: str, reader: _Reader) -> bool:
        """Whether events came."""
        assert reader.cursor is not None
        batch = list(
            await self._events.follow(
                event_id, reader.cursor, wait_seconds=self._wait, limit=READ_LIMIT
            )
        )
        if not batch:
            return False
        if self._window > 0 and len(batch) < READ_LIMIT:
            # Let the burst finish: one frame for all it brings, one write per subscriber.
            await asyncio.sleep(self.window_for(len(reader.mailboxes)))
            batch += await self._events.since(event_id, batch[-1].id, limit=READ_LIMIT - len(batch))
        frame = Frame.of(batch)
        reader.cursor = batch[-1].id
        self._offer(reader, frame)
        return True

    @staticmethod
    def _offer(reader: _Reader, frame: Frame) -> None:
        written = 0
        overflowed = []
        for mailbox in reader.mailboxes:
            written += mailbox.offer(frame)
            if mailbox.overflowed:
                overflowed.append(mailbox)
        for mailbox in overflowed:
            reader.mailboxes.discard(mailbox)
        if written:
            metrics.delivered(frame, written)
