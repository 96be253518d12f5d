"""The availability stream of each event: a Redis Stream the seat-lock scripts append to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from redis.asyncio import Redis

from lml_redis_scripts import redis_faults
from lml_seating.domain import PublishedEvent
from lml_seating.infrastructure.keys import SeatingKeys


class RedisAvailabilityEvents:
    """Entries carry ``type`` (``seat.held``...) and ``data`` (the JSON clients receive).

    ``max_length`` bounds each stream (trimmed approximately, ``MAXLEN ~``): a reader
    further behind than that must resynchronise from a snapshot.
    """

    def __init__(self, client: Redis, keys: SeatingKeys, *, max_length: int) -> None:
        if max_length < 1:
            raise ValueError("max_length must be at least 1")
        self._client = client
        self.keys = keys
        self.max_length = max_length

    async def since(
        self, event_id: str, after: str | None = None, *, limit: int = 100
    ) -> Sequence[PublishedEvent]:
        start = "-" if after is None else f"({after}"
        with redis_faults():
            entries = cast(
                "list[tuple[bytes, dict[bytes, bytes]]]",
                await self._client.xrange(self.keys.stream(event_id), start, "+", limit),
            )
        return [
            PublishedEvent(
                id=entry_id.decode(), type=fields[b"type"].decode(), data=fields[b"data"]
            )
            for entry_id, fields in entries
        ]
