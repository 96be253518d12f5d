"""An ASGI app served on the test's own event loop, so concurrent requests really overlap."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from litestar import Litestar


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
