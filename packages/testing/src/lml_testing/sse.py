"""A small server-sent events reader for tests: each message as its fields."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import msgspec


class Message(msgspec.Struct, kw_only=True):
    event: str | None = None
    id: str | None = None
    data: str | None = None
    retry: int | None = None
    comment: str | None = None

    def json(self) -> object:
        assert self.data is not None
        return msgspec.json.decode(self.data)


async def messages(response: httpx.Response) -> AsyncIterator[Message]:
    """Messages as they arrive; a comment or a lone ``retry:`` is a message too."""
    current = Message()
    async for line in response.aiter_lines():
        if line == "":
            if current != Message():
                yield current
            current = Message()
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "":
            current.comment = value
        elif name == "retry":
            current.retry = int(value)
        elif name in ("event", "id", "data"):
            setattr(current, name, value)


def unbatched(message: Message) -> list[Message]:
    """A ``seat.batch`` as the events it lists, in order; any other event as itself."""
    if message.event != "seat.batch":
        return [message]
    listed = msgspec.json.decode(message.data or "{}")["events"]
    return [
        Message(event=e["event"], id=e["id"], data=msgspec.json.encode(e["data"]).decode())
        for e in listed
    ]


async def next_events(
    stream: AsyncIterator[Message], count: int, *, timeout_seconds: float = 5
) -> list[Message]:
    """The next ``count`` events, batches unpacked, comments and hints passed over."""
    found: list[Message] = []
    async with asyncio.timeout(timeout_seconds):
        async for message in stream:
            if message.event is not None:
                found.extend(unbatched(message))
                if len(found) >= count:
                    break
    assert len(found) == count, f"{len(found)} events where {count} were expected"
    return found
