"""An in-memory availability stream per event, with stream ids shaped like Redis's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import msgspec

from lml_seating.domain import NO_STREAM_ID, PublishedEvent


class InMemoryAvailabilityEvents:
    def __init__(self) -> None:
        self._streams: defaultdict[str, list[PublishedEvent]] = defaultdict(list)
        self._sequence = 0

    def append(self, event_id: str, kind: str, payload: msgspec.Struct) -> PublishedEvent:
        self._sequence += 1
        published = PublishedEvent(
            id=f"0-{self._sequence}", type=kind, data=msgspec.json.encode(payload)
        )
        self._streams[event_id].append(published)
        return published

    def last_id(self, event_id: str) -> str:
        """The id of the stream's last event, ``NO_STREAM_ID`` when it has none."""
        stream = self._streams.get(event_id)
        return stream[-1].id if stream else NO_STREAM_ID

    async def since(
        self, event_id: str, after: str | None = None, *, limit: int = 100
    ) -> Sequence[PublishedEvent]:
        stream = self._streams.get(event_id, [])
        start = (0, 0) if after is None else _position(after)
        return [event for event in stream if _position(event.id) > start][:limit]


def _position(stream_id: str) -> tuple[int, int]:
    milliseconds, _, sequence = stream_id.partition("-")
    return int(milliseconds), int(sequence or 0)
