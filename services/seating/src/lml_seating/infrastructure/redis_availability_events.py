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

    The hold scripts bound each stream (``MAXLEN ~``, see ``HoldScripts``): a reader
    further behind than that must resynchronise from a snapshot.
    """

    def __init__(self, client: Redis, keys: SeatingKeys) -> None:
        self._client = client
        self._keys = keys

    async def since(
        self, event_id: str, after: str | None = None, *, limit: int = 100
    ) -> Sequence[PublishedEvent]:
        start = "-" if after is None else f"({after}"
        with redis_faults():
            entries = cast(
                "list[tuple[bytes, dict[bytes, bytes]]]",
                await self._client.xrange(self._keys.stream(event_id), start, "+", limit),
            )
        return [
            PublishedEvent(
                id=entry_id.decode(), type=fields[b"type"].decode(), data=fields[b"data"]
            )
            for entry_id, fields in entries
        ]
