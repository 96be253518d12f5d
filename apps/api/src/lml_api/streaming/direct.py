"""Writing a live subscriber's frames straight to its connection, from the hub's reader.

Through ASGI every frame costs every subscriber a task wake-up, a generator step, the
streaming response's ``send`` and each middleware's wrapper: about 50 µs, which at 5,000
subscribers is a quarter of a second per frame (docs/benchmarks.md, issue #12). Once a
subscriber has caught up, nothing of that is needed to put the frame's bytes on its socket:
the headers went out through ASGI, the body is chunked, and the frame's chunk is the same
bytes for everyone. So the reader writes it to each transport in one loop
(docs/decisions/0010-direct-writes-to-subscribers.md).

This is possible only under uvicorn's httptools protocol, whose ASGI ``send`` is a method
of the connection's request cycle: ``CaptureConnections`` (the outermost ASGI wrapper)
keeps it for stream requests in a context variable, and the stream's response takes it
from there. Anywhere else (a test client, another server) ``current_connection`` is None
and frames go through ASGI as before. A connection whose transport buffer is above its
high-water mark (uvicorn pauses writing) is not written to directly: its frames queue in
its mailbox, bounded as before, and its own task writes them through ASGI, waiting for the
client; a full mailbox drops it.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

try:  # uvicorn[standard]; without httptools there is no direct path.
    from uvicorn.protocols.http.httptools_impl import RequestResponseCycle
except ImportError:  # pragma: no cover
    RequestResponseCycle = None  # type: ignore[assignment,misc]

STREAM_PATH_SUFFIX = "/availability/stream"

_connection: ContextVar[Connection | None] = ContextVar("lml_stream_connection", default=None)


class Connection:
    """One HTTP/1.1 response's connection, for writing body chunks without ASGI."""

    __slots__ = ("_cycle", "_transport")

    def __init__(self, cycle: Any) -> None:
        self._cycle = cycle
        self._transport = cycle.transport

    def writable(self) -> bool:
        """Whether a chunk can go straight out: the response started chunked, is not over,
        the client is connected and its buffer is below the high-water mark."""
        cycle = self._cycle
        return (
            cycle.chunked_encoding is True
            and not cycle.response_complete
            and not cycle.disconnected
            and not cycle.flow.write_paused
            and not self._transport.is_closing()
        )

    def write(self, chunk: bytes) -> None:
        """``chunk`` is already framed for chunked transfer coding (``Frame.chunk``)."""
        self._transport.write(chunk)


def current_connection() -> Connection | None:
    return _connection.get()


class CaptureConnections:
    """Outermost ASGI wrapper: for a stream request served by uvicorn's httptools
    protocol, keep its connection where the stream's response finds it."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == ScopeType.HTTP
            and RequestResponseCycle is not None
            and scope["path"].endswith(STREAM_PATH_SUFFIX)
        ):
            cycle = getattr(send, "__self__", None)
            if type(cycle) is RequestResponseCycle:
                _connection.set(Connection(cycle))
        await self._app(scope, receive, send)
