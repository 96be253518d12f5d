"""The server as ``lml api`` builds it."""

import asyncio

import httpx
from litestar import Litestar, Request, get

from lml_api.server import build_server
from lml_config import load_settings
from lml_devstack import free_port
from lml_testing.polling import eventually


async def test_given_a_forged_forwarded_for_from_a_local_peer_then_the_app_sees_the_peer() -> None:
    @get("/peer")
    async def peer(request: Request) -> str:
        return request.client.host if request.client else "none"

    port = free_port()
    server = build_server(Litestar([peer]), load_settings({}), port=port)
    serving = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(10):
            await eventually(lambda: server.started)
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                response = await client.get("/peer", headers={"X-Forwarded-For": "203.0.113.9"})
    finally:
        server.should_exit = True
        await serving

    assert response.text == "127.0.0.1"
