"""An ASGI app served on the test's own event loop, so concurrent requests really overlap."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import uvicorn
from litestar import Litestar

from lml_devstack import free_port


@asynccontextmanager
async def served(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """The app's lifespan around a client that calls it in-process."""
    async with (
        app.lifespan(),
        httpx.AsyncClient(
            # Litestar types its ASGI messages more narrowly than httpx does.
            transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]
            base_url="http://testserver",
        ) as client,
    ):
        yield client


@asynccontextmanager
async def over_http(app: Litestar) -> AsyncIterator[str]:
    """The app served by uvicorn on a free local port, for what only a real connection
    shows (streams, disconnects); yields its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            lifespan="on",
            log_config=None,
            # A test that fails with a stream open must not hang the run at shutdown.
            timeout_graceful_shutdown=5,
        )
    )
    serving = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(10):
            while not server.started:
                if serving.done():
                    serving.result()
                await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving
