"""Stopping the server lets requests already in flight finish."""

import asyncio

import httpx
from litestar import get

from lml_api.access import PUBLIC
from lml_api.app import create_app
from lml_api.fakes import in_memory_container
from lml_api.server import build_server
from lml_config import load_settings
from lml_devstack import free_port
from lml_testing.polling import eventually


async def until_refused(port: int) -> None:
    """Wait until the server has closed its listening socket: shutdown has begun."""
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            return
        writer.close()
        await asyncio.sleep(0.01)


async def test_given_a_request_in_flight_when_the_server_is_told_to_stop_then_it_completes() -> (
    None
):
    entered = asyncio.Event()
    finish = asyncio.Event()

    @get("/test/slow", opt=PUBLIC)
    async def slow() -> dict[str, str]:
        entered.set()
        await finish.wait()
        return {"finished": "yes"}

    settings = load_settings({"LML_SHUTDOWN_GRACE_SECONDS": "5"})
    app = create_app(in_memory_container(settings))
    app.register(slow)
    port = free_port()
    server = build_server(app, settings, port=port)
    serving = asyncio.create_task(server.serve())
    async with asyncio.timeout(10):
        await eventually(lambda: server.started)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            in_flight = asyncio.create_task(client.get("/test/slow"))
            await entered.wait()
            server.should_exit = True
            await until_refused(port)
            finish.set()
            response = await in_flight
        await serving
    assert response.status_code == 200
    assert response.json() == {"finished": "yes"}
