"""Idempotency keys in Redis: API instances sharing it share one key space."""

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from litestar import Litestar, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import JSONBody
from litestar.testing import AsyncTestClient

from lml_api.access import requires
from lml_api.app import create_app
from lml_api.tokens import build_tokens
from lml_config import Settings
from lml_testing.polling import eventually
from lml_testing.served import served

pytestmark = pytest.mark.integration

SCOPE = "orders.write"
ORDERS = "/v1/test/orders"
ORDER = {"seat_ids": ["A-1-1"], "buyer": {"email": "ada@example.com"}}


class Handler:
    """A test route, shared by every instance, that counts how often it really runs."""

    def __init__(self) -> None:
        self.calls = 0
        self.gate: asyncio.Event | None = None

    def route(self) -> HTTPRouteHandler:
        @post(ORDERS, opt=requires(SCOPE), status_code=201)
        async def create_order(data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
            self.calls += 1
            number = self.calls
            if self.gate is not None:
                await self.gate.wait()
            return {"id": f"ord_{number}", "request": data}

        return create_order


@pytest.fixture
def settings(
    make_settings: Callable[..., Settings], mongo_url: str, redis_key_prefix: str
) -> Settings:
    return make_settings(mongo_url=mongo_url, redis_key_prefix=redis_key_prefix)


@pytest.fixture
def handler() -> Handler:
    return Handler()


@pytest.fixture
def instances(settings: Settings, handler: Handler) -> list[Litestar]:
    apps = [create_app(settings=settings), create_app(settings=settings)]
    for app in apps:
        app.register(handler.route())
    return apps


def keyed(settings: Settings, key: str) -> dict[str, str]:
    token = build_tokens(settings).issuer.issue("usr_1", "org_a", [SCOPE]).access_token
    return {"Authorization": f"Bearer {token}", "Idempotency-Key": key}


async def test_given_a_key_used_on_one_instance_then_another_instance_replays_it(
    instances: list[Litestar], handler: Handler, settings: Settings
) -> None:
    first_app, second_app = instances
    async with AsyncTestClient(first_app) as first, AsyncTestClient(second_app) as second:
        original = await first.post(ORDERS, json=ORDER, headers=keyed(settings, "order-1"))
        retry = await second.post(ORDERS, json=ORDER, headers=keyed(settings, "order-1"))

    assert original.status_code == retry.status_code == 201
    assert retry.content == original.content
    assert retry.headers["idempotent-replayed"] == "true"
    assert handler.calls == 1


async def test_given_20_concurrent_requests_with_one_key_across_instances_then_one_runs(
    instances: list[Litestar], handler: Handler, settings: Settings
) -> None:
    handler.gate = asyncio.Event()
    headers = keyed(settings, "order-1")
    async with (
        served(instances[0]) as first,
        served(instances[1]) as second,
    ):
        requests = [
            asyncio.create_task(client.post(ORDERS, json=ORDER, headers=headers))
            for client in (first, second)
            for _ in range(10)
        ]
        await eventually(lambda: handler.calls == 1)
        await eventually(lambda: sum(request.done() for request in requests) >= 10)
        handler.gate.set()
        responses = await asyncio.gather(*requests)

    assert handler.calls == 1
    executed = [
        r for r in responses if "idempotent-replayed" not in r.headers and r.status_code == 201
    ]
    assert len(executed) == 1
    others = [r for r in responses if r is not executed[0]]
    assert all(
        r.status_code == 202 or r.headers.get("idempotent-replayed") == "true" for r in others
    )
    assert any(r.status_code == 202 for r in others)
