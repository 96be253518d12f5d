"""An in-memory availability stream per event, with stream ids shaped like Redis's."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence

import msgspec

from lml_seating.domain import ORIGIN, PublishedEvent, StreamPosition, stream_order


class InMemoryAvailabilityEvents:
    def __init__(self) -> None:
        self._streams: defaultdict[str, list[PublishedEvent]] = defaultdict(list)
        self._trimmed: set[str] = set()
        self._last_ids: dict[str, str] = {}
        self._sequence = 0
        # Set, then replaced, at every append: what a follower waits on.
        self._appended = asyncio.Event()

    def append(self, event_id: str, kind: str, payload: msgspec.Struct) -> PublishedEvent:
        self._sequence += 1
        published = PublishedEvent(
            id=f"0-{self._sequence}", type=kind, data=msgspec.json.encode(payload)
        )
        self._streams[event_id].append(published)
        self._appended.set()
        self._appended = asyncio.Event()
        return published

    def trim(self, event_id: str, keep: int) -> None:
        """Drop all but the newest ``keep`` events, as ``MAXLEN`` does in Redis."""
        stream = self._streams[event_id]
        if len(stream) > keep:
            self._last_ids[event_id] = stream[-1].id
            self._trimmed.add(event_id)
            del stream[: len(stream) - keep]

    def last_id(self, event_id: str) -> str:
        """The id of the stream's last event, ``ORIGIN`` when it never had one."""
        stream = self._streams.get(event_id)
        return stream[-1].id if stream else self._last_ids.get(event_id, ORIGIN)

    async def since(
        self, event_id: str, after: str | None = None, *, limit: int = 100
    ) -> Sequence[PublishedEvent]:
        stream = self._streams.get(event_id, [])
        start = stream_order(ORIGIN if after is None else after)
        return [event for event in stream if stream_order(event.id) > start][:limit]

    async def follow(
        self, event_id: str, after: str, *, wait_seconds: float, limit: int
    ) -> Sequence[PublishedEvent]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_seconds
        while not (events := self._after(event_id, after)):
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            try:
                await asyncio.wait_for(self._appended.wait(), remaining)
            except TimeoutError:
                return []
        return events[:limit]

    async def position(self, event_id: str) -> StreamPosition:
        stream = self._streams.get(event_id)
        return StreamPosition(
            last_id=self.last_id(event_id),
            first_id=stream[0].id if stream else None,
            trimmed=event_id in self._trimmed,
        )

    async def has(self, event_id: str, stream_id: str) -> bool:
        return any(event.id == stream_id for event in self._streams.get(event_id, []))

    def _after(self, event_id: str, after: str) -> list[PublishedEvent]:
        start = stream_order(after)
        return [e for e in self._streams.get(event_id, []) if stream_order(e.id) > start]
