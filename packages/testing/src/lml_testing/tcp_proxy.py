"""A loopback TCP proxy a test can cut and restore, to lose a dependency while running.

It runs its own event loop in a thread, so it keeps forwarding while the test's loop
is blocked (Litestar's test client drives the app through a blocking portal).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from typing import Any

from lml_devstack import free_port


class TcpProxy:
    """Forwards ``127.0.0.1:port`` to a target until cut; cutting drops live connections too.
    Frozen, it keeps every connection open and accepts new ones but forwards nothing, as a
    server stopped with ``SIGSTOP`` would, until thawed.

    A target host starting with ``/`` is a Unix socket path (an embedded PostgreSQL).
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._flowing: asyncio.Event | None = None

    def start(self) -> None:
        self._thread.start()
        self._call(self._create_valve())
        self.restore()

    def freeze(self) -> None:
        self._loop.call_soon_threadsafe(self._valve().clear)

    def thaw(self) -> None:
        self._loop.call_soon_threadsafe(self._valve().set)

    def restore(self) -> None:
        self._call(self._listen())

    def cut(self) -> None:
        self._call(self._drop_everything())

    def close(self) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    def _call(self, coroutine: Coroutine[Any, Any, None]) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=5)

    async def _create_valve(self) -> None:
        self._flowing = asyncio.Event()
        self._flowing.set()

    def _valve(self) -> asyncio.Event:
        assert self._flowing is not None, "start() the proxy first"
        return self._flowing

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)

    async def _drop_everything(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        for pipe in list(self._pipes):
            pipe.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await self._connect_upstream()
        except OSError:
            writer.transport.abort()
            return
        self._writers.update((writer, upstream_writer))
        for source, sink in ((reader, upstream_writer), (upstream_reader, writer)):
            pipe = asyncio.create_task(self._pipe(source, sink))
            self._pipes.add(pipe)
            pipe.add_done_callback(self._pipes.discard)

    async def _connect_upstream(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        host, port = self.target
        if host.startswith("/"):
            return await asyncio.open_unix_connection(host)
        return await asyncio.open_connection(host, port)

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(65536):
                await self._valve().wait()
                sink.write(data)
                await sink.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._writers.discard(sink)
            with contextlib.suppress(Exception):
                sink.close()


@contextmanager
def tcp_proxy(target_host: str, target_port: int) -> Iterator[TcpProxy]:
    proxy = TcpProxy(target_host, target_port)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.close()
