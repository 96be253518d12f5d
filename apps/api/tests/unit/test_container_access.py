"""Handlers, the access guard and the middleware reach the container one way."""

from __future__ import annotations

import msgspec
from litestar import get
from litestar.di import NamedDependency
from litestar.testing import AsyncTestClient
from litestar.types import Scope

from lml_api.access import PUBLIC
from lml_api.app import create_app
from lml_api.container import Container, container_of
from lml_api.fakes import in_memory_container
from lml_config import load_settings


class Reached(msgspec.Struct, frozen=True):
    given_the_apps: bool
    same_as_the_scopes: bool


async def test_given_a_handler_that_asks_for_the_container_then_it_gets_the_apps_own() -> None:
    container = in_memory_container(load_settings({}))
    app = create_app(container)

    @get("/reached", opt=PUBLIC, sync_to_thread=False)
    def reached(container: NamedDependency[Container], scope: Scope) -> Reached:
        return Reached(
            given_the_apps=container is app.state.container,
            same_as_the_scopes=container is container_of(scope),
        )

    app.register(reached)

    async with AsyncTestClient(app) as client:
        response = await client.get("/reached")

    assert response.status_code == 200, response.text
    assert response.json() == {"given_the_apps": True, "same_as_the_scopes": True}
