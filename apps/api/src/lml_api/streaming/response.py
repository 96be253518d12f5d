"""A ``text/event-stream`` response that the server can end: for a subscriber dropped
for falling behind, whose client may not be reading at all.

Litestar ends a streaming response when the client disconnects (it listens on
``receive`` and cancels the writing); this response also treats its ``abort`` event as a
disconnect, so a write blocked on a client that stopped reading is cancelled too. Either
way the event generator is closed at once, so its subscription ends with the response.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

from litestar.response.streaming import ASGIStreamingResponse
from litestar.types import Receive, ReceiveMessage, Send

HEADERS = {
    # Nothing may cache the stream, and proxies must pass each event on at once.
    "Cache-Control": "no-cache",
    "X-Accel-Buffering": "no",
}


class EventStream(ASGIStreamingResponse):
    __slots__ = ("_abort", "_events")

    def __init__(self, events: AsyncGenerator[bytes, None], abort: asyncio.Event) -> None:
        super().__init__(iterator=events, media_type="text/event-stream", headers=HEADERS)
        self._events = events
        self._abort = abort

    async def send_body(self, send: Send, receive: Receive) -> None:
        async def receive_or_abort() -> ReceiveMessage:
            message = asyncio.ensure_future(receive())
            aborted = asyncio.ensure_future(self._abort.wait())
            done, pending = await asyncio.wait(
                {message, aborted}, return_when=asyncio.FIRST_COMPLETED
            )
            for task in pending:
                task.cancel()
            if message in done:
                return message.result()
            return {"type": "http.disconnect"}

        try:
            await super().send_body(send, receive_or_abort)
        finally:
            await self._events.aclose()
