from collections.abc import AsyncIterator, Callable

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from lml_api.app import create_app
from lml_api.fakes import in_memory_container
from lml_api.readiness import Check
from lml_config import load_settings


async def up() -> None:
    return None


@pytest.fixture
def checks() -> list[Check]:
    return [Check("postgresql", up), Check("redis", up), Check("mongodb", up)]


@pytest.fixture
def make_app(checks: list[Check]) -> Callable[..., Litestar]:
    def make(**env: str) -> Litestar:
        settings = load_settings({f"LML_{key.upper()}": value for key, value in env.items()})
        return create_app(in_memory_container(settings, checks))

    return make


@pytest.fixture
def app(make_app: Callable[..., Litestar]) -> Litestar:
    return make_app()


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app) as test_client:
        yield test_client
