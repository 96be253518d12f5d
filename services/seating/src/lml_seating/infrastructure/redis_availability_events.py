"""The availability stream of each event: a Redis Stream the seat-lock scripts append to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from redis.exceptions import ResponseError

from lml_redis_scripts import RedisClient, redis_faults
from lml_seating.domain import ORIGIN, PublishedEvent, StreamPosition
from lml_seating.infrastructure.keys import SeatingKeys

Entries = list[tuple[bytes, dict[bytes, bytes]]]


class RedisAvailabilityEvents:
    """Entries carry ``type`` (``seat.held``...) and ``data`` (the JSON clients receive).

    The hold scripts bound each stream (``MAXLEN ~``, see ``HoldScripts``): a reader
    further behind than that must resynchronise from a snapshot.
    """

    def __init__(self, client: RedisClient, keys: SeatingKeys) -> None:
        self._client = client
        self._keys = keys

    async def since(
        self, event_id: str, after: str | None = None, *, limit: int = 100
    ) -> Sequence[PublishedEvent]:
        start = "-" if after is None else f"({after}"
        with redis_faults():
            entries = cast(
                "Entries", await self._client.xrange(self._keys.stream(event_id), start, "+", limit)
            )
        return _published(entries)

    async def follow(
        self, event_id: str, after: str, *, wait_seconds: float, limit: int
    ) -> Sequence[PublishedEvent]:
        key = self._keys.stream(event_id)
        with redis_faults():
            reply = cast(
                "list[tuple[bytes, Entries]] | None",
                await self._client.xread(
                    {key: after}, count=limit, block=max(1, round(wait_seconds * 1000))
                ),
            )
        return _published(reply[0][1]) if reply else []

    async def position(self, event_id: str) -> StreamPosition:
        try:
            with redis_faults():
                info: dict[str, Any] = await self._client.xinfo_stream(self._keys.stream(event_id))
        except ResponseError:  # no such key: no event was ever published
            return StreamPosition(last_id=ORIGIN, first_id=None, trimmed=False)
        first = info.get("first-entry")
        return StreamPosition(
            last_id=_text(info["last-generated-id"]),
            first_id=None if not first else _text(first[0]),
            trimmed=stream_was_trimmed(info),
        )

    async def has(self, event_id: str, stream_id: str) -> bool:
        with redis_faults():
            entries = await self._client.xrange(
                self._keys.stream(event_id), stream_id, stream_id, 1
            )
        return bool(entries)


def stream_was_trimmed(info: dict[str, Any]) -> bool:
    """Trimming leaves no trace but the count of entries ever added (Redis 7). Redis 6.2
    (the embedded server of ``lml dev``) keeps no count: any entry may have gone, so a
    client resuming from the origin resynchronises rather than miss one."""
    added = info.get("entries-added")
    if added is None:
        return bool(info.get("first-entry"))
    return int(added) > int(info["length"])


def _published(entries: Entries) -> list[PublishedEvent]:
    return [
        PublishedEvent(id=entry_id.decode(), type=fields[b"type"].decode(), data=fields[b"data"])
        for entry_id, fields in entries
    ]


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
