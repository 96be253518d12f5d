"""Idempotency-Key on mutating routes: one execution per key, replays, conflicts, freed keys."""

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx
import pytest
from litestar import Litestar, Response, delete, get, patch, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, JSONBody

from lml_api.access import requires
from lml_api.app import create_app
from lml_api.fakes import in_memory_container
from lml_api.idempotency import NOT_IDEMPOTENT
from lml_api.readiness import Check
from lml_api.tokens import build_tokens
from lml_config import load_settings
from lml_idempotency import (
    IdempotencyScope,
    InMemoryIdempotencyStore,
    MeteredIdempotencyStore,
    fingerprint,
)
from lml_metrics import render
from lml_testing.clocks import ManualMonotonicClock
from lml_testing.polling import eventually

SCOPE = "orders.write"
ORDERS = "/v1/test/orders"
ORDER = {"seat_ids": ["A-1-1", "A-1-2"], "buyer": {"email": "ada@example.com"}}


class Handlers:
    """Test routes that count how often they really run."""

    def __init__(self) -> None:
        self.calls = 0
        self.gate: asyncio.Event | None = None
        self.failure: str | None = None

    def routes(self) -> list[HTTPRouteHandler]:
        @post(ORDERS, opt=requires(SCOPE), status_code=201)
        async def create_order(data: JSONBody[dict[str, Any]]) -> Response[dict[str, Any]]:
            self.calls += 1
            number = self.calls
            if self.gate is not None:
                await self.gate.wait()
            if self.failure == "raise":
                self.failure = None
                raise RuntimeError("the handler crashed")
            if self.failure == "500":
                self.failure = None
                return Response({"error": "failed"}, status_code=500)
            return Response(
                {"id": f"ord_{number}", "request": data},
                status_code=201,
                headers={
                    "Location": f"{ORDERS}/ord_{number}",
                    "ETag": f'"v{number}"',
                    "X-Handler-Only": "not replayed",
                },
            )

        @get(ORDERS, opt=requires(SCOPE))
        async def list_orders() -> dict[str, int]:
            self.calls += 1
            return {"calls": self.calls}

        @patch(f"{ORDERS}/{{order_id:str}}", opt=requires(SCOPE))
        async def update_order(
            order_id: FromPath[str], data: JSONBody[dict[str, Any]]
        ) -> dict[str, Any]:
            self.calls += 1
            return {"id": order_id, "calls": self.calls}

        @delete(f"{ORDERS}/{{order_id:str}}", opt=requires(SCOPE))
        async def delete_order(order_id: FromPath[str]) -> None:
            self.calls += 1

        @post("/v1/test/unkeyed", opt=requires(SCOPE) | NOT_IDEMPOTENT, status_code=201)
        async def unkeyed() -> dict[str, int]:
            self.calls += 1
            return {"calls": self.calls}

        return [create_order, list_orders, update_order, delete_order, unkeyed]


@pytest.fixture
def handlers() -> Handlers:
    return Handlers()


@pytest.fixture
def app(app: Litestar, handlers: Handlers) -> Litestar:
    for route in handlers.routes():
        app.register(route)
    return app


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    async with lifespan_of(app), serving(app) as test_client:
        yield test_client


@asynccontextmanager
async def lifespan_of(app: Litestar) -> AsyncIterator[None]:
    """The app's lifespan in a task of its own: fixtures set up and tear down in two tasks."""
    started, stop = asyncio.Event(), asyncio.Event()

    async def run() -> None:
        async with app.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(run())
    waiting = asyncio.create_task(started.wait())
    await asyncio.wait([task, waiting], return_when=asyncio.FIRST_COMPLETED)
    if not started.is_set():
        waiting.cancel()
        await task
    try:
        yield
    finally:
        stop.set()
        await task


def serving(app: Litestar) -> httpx.AsyncClient:
    # The app runs on the test's event loop, so concurrent requests really overlap.
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


def keyed(key: str, *, org: str = "org_a", subject: str = "usr_1") -> dict[str, str]:
    token = build_tokens(load_settings({})).issuer.issue(subject, org, [SCOPE]).access_token
    return {"Authorization": f"Bearer {token}", "Idempotency-Key": key}


def metric(text: str, name: str) -> float:
    found = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
    return float(found[1]) if found else 0.0


async def test_given_a_completed_key_when_retried_then_the_same_answer_is_replayed(
    client: httpx.AsyncClient, handlers: Handlers
) -> None:
    first = await client.post(ORDERS, json=ORDER, headers=keyed("order-1"))
    retry = await client.post(ORDERS, json=ORDER, headers=keyed("order-1"))

    assert handlers.calls == 1
    assert first.status_code == retry.status_code == 201
    assert retry.content == first.content
    assert retry.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    for header in ("content-type", "location", "etag"):
        assert retry.headers[header] == first.headers[header]


async def test_given_a_replay_then_request_id_is_fresh_and_handler_only_headers_are_not_kept(
    client: httpx.AsyncClient,
) -> None:
    first = await client.post(ORDERS, json=ORDER, headers=keyed("order-1"))
    retry = await client.post(ORDERS, json=ORDER, headers=keyed("order-1"))

    assert retry.headers["x-request-id"] != first.headers["x-request-id"]
    assert first.headers["x-handler-only"] == "not replayed"
    assert "x-handler-only" not in retry.headers


async def test_given_the_same_body_reordered_and_reformatted_then_it_is_replayed(
    client: httpx.AsyncClient, handlers: Handlers
) -> None:
    await client.post(ORDERS, json={"a": 1, "b": [1, 2]}, headers=keyed("order-1"))
    retry = await client.post(
        ORDERS,
        content=b'{ "b": [1, 2],  "a": 1 }',
        headers={**keyed("order-1"), "Content-Type": "application/json"},
    )
    assert retry.headers["idempotent-replayed"] == "true"
    assert handlers.calls == 1


async def test_given_a_key_sent_quoted_and_then_bare_then_both_mean_the_same_key(
    client: httpx.AsyncClient, handlers: Handlers
) -> None:
    await client.post(ORDERS, json=ORDER, headers=keyed('"order-1"'))
    retry = await client.post(ORDERS, json=ORDER, headers=keyed("order-1"))
    assert retry.headers["idempotent-replayed"] == "true"
    assert handlers.calls == 1


async def test_given_20_concurrent_requests_with_one_key_then_the_handler_runs_once(
    client: httpx.AsyncClient, handlers: Handlers
) -> None:
    handlers.gate = asyncio.Event()
    requests = [
        asyncio.create_task(client.post(ORDERS, json=ORDER, headers=keyed("order-1")))
        for _ in range(20)
    ]
    await eventually(lambda: handlers.calls == 1)
    await eventually(lambda: sum(request.done() for request in requests) >= 10)
    handlers.gate.set()
    responses = await asyncio.gather(*requests)

    assert handlers.calls == 1
    executed = [
        r for r in responses if r.status_code == 201 and "idempotent-replayed" not in r.headers
    ]
    assert len(executed) == 1
    others = [r for r in responses if r is not executed[0]]
    assert all(
        r.status_code == 202 or r.headers.get("idempotent-replayed") == "true" for r in others
    )
    waiting = [r for r in others if r.status_code == 202]
    assert waiting
    assert all(r.json() == {"status": "in_progress"} for r in waiting)
    assert all(r.headers["retry-after"] == "1" for r in waiting)


async def test_given_a_key_reused_with_another_body_then_409_and_nothing_runs(
    client: httpx.AsyncClient, handlers: Handlers
) -> None:
    await client.post(ORDERS, json=ORDER, headers=keyed("order-1"))
    reused = await client.post(
        ORDERS, json={**ORDER, "seat_ids": ["B-1-1"]}, headers=keyed("order-1")
    )

    assert reused.status_code == 409
    assert reused.headers["content-type"] == "application/problem+json"
    assert reused.json()["type"] == "/problems/idempotency-key-reuse"
    assert handlers.calls == 1


async def test_given_a_key_reused_on_another_resource_then_409(
    client: httpx.AsyncClient, handlers: Handlers
) -> None:
    await client.patch(f"{ORDERS}/ord_1", json={"note": "x"}, headers=keyed("edit-1"))
    other = await client.patch(f"{ORDERS}/ord_2", json={"note": "x"}, headers=keyed("edit-1"))
    assert other.status_code == 409
    assert handlers.calls == 1


@pytest.mark.parametrize("failure", ["500", "raise"])
async def test_given_a_first_attempt_that_failed_with_a_5xx_then_the_key_runs_again(
    client: httpx.AsyncClient, handlers: Handlers, failure: str
) -> None:
    handlers.failure = failure
    failed = await client.post(ORDERS, json=ORDER, headers=keyed("order-1"))
    retry = await client.post(ORDERS, json=ORDER, headers=keyed("order-1"))

    assert failed.status_code == 500
    assert retry.status_code == 201
    assert "idempotent-replayed" not in retry.headers
    assert handlers.calls == 2


async def test_given_a_request_cancelled_mid_flight_then_its_key_is_free_at_once(
    client: httpx.AsyncClient, handlers: Handlers
) -> None:
    handlers.gate = asyncio.Event()
    abandoned = asyncio.create_task(client.post(ORDERS, json=ORDER, headers=keyed("order-1")))
    await eventually(lambda: handlers.calls == 1)
    abandoned.cancel()
    with pytest.raises(asyncio.CancelledError):
        await abandoned
    handlers.gate = None

    retry = await client.post(ORDERS, json=ORDER, headers=keyed("order-1"))
    assert retry.status_code == 201
    assert handlers.calls == 2


async def test_given_a_lease_left_by_a_killed_request_then_the_key_is_free_after_the_lease(
    checks: list[Check], handlers: Handlers
) -> None:
    settings = load_settings({"LML_IDEMPOTENCY_LEASE_SECONDS": "5"})
    clock = ManualMonotonicClock()
    store = MeteredIdempotencyStore(InMemoryIdempotencyStore(clock))
    app = create_app(replace(in_memory_container(settings, checks), idempotency=store))
    for route in handlers.routes():
        app.register(route)
    body = httpx.Request("POST", "http://x", json=ORDER).content
    # What a process that died mid-request leaves behind: a lease nobody renews.
    await store.begin(
        IdempotencyScope("org_a", "usr_1", "POST", ORDERS, "order-1"),
        fingerprint("POST", ORDERS, body),
        settings.idempotency_lease_seconds,
    )
    async with lifespan_of(app), serving(app) as client:
        during = await client.post(ORDERS, json=ORDER, headers=keyed("order-1"))
        clock.advance(settings.idempotency_lease_seconds)
        after = await client.post(ORDERS, json=ORDER, headers=keyed("order-1"))

    assert during.status_code == 202
    assert after.status_code == 201
    assert handlers.calls == 1


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("", "empty"),
        ("k" * 256, "longer than 255"),
        ('"' + "k" * 256 + '"', "longer than 255"),
        ("bad\x01key", "non-printable"),
        ('"unclosed', "never closes"),
    ],
)
async def test_given_an_invalid_key_then_400_naming_the_problem_and_nothing_runs(
    client: httpx.AsyncClient, handlers: Handlers, key: str, reason: str
) -> None:
    response = await client.post(ORDERS, json=ORDER, headers=keyed(key))
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "/problems/bad-request"
    assert reason in body["detail"]
    assert handlers.calls == 0


async def test_given_a_key_of_255_characters_then_it_is_accepted(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(ORDERS, json=ORDER, headers=keyed("k" * 255))
    assert response.status_code == 201


async def test_given_no_key_then_every_request_runs(
    client: httpx.AsyncClient, handlers: Handlers
) -> None:
    headers = keyed("unused")
    del headers["Idempotency-Key"]
    first = await client.post(ORDERS, json=ORDER, headers=headers)
    second = await client.post(ORDERS, json=ORDER, headers=headers)
    assert first.status_code == second.status_code == 201
    assert "idempotent-replayed" not in second.headers
    assert handlers.calls == 2


async def test_given_a_get_with_a_key_then_the_key_is_ignored(
    client: httpx.AsyncClient, handlers: Handlers
) -> None:
    await client.get(ORDERS, headers=keyed("read-1"))
    second = await client.get(ORDERS, headers=keyed("read-1"))
    assert second.json() == {"calls": 2}
    assert "idempotent-replayed" not in second.headers


async def test_given_a_route_that_opts_out_then_the_key_is_ignored(
    client: httpx.AsyncClient, handlers: Handlers
) -> None:
    await client.post("/v1/test/unkeyed", headers=keyed("order-1"))
    second = await client.post("/v1/test/unkeyed", headers=keyed("order-1"))
    assert second.json() == {"calls": 2}


@pytest.mark.parametrize(
    ("method", "path"), [("PATCH", f"{ORDERS}/ord_1"), ("DELETE", f"{ORDERS}/ord_1")]
)
async def test_given_a_patch_or_delete_with_a_key_when_retried_then_it_is_replayed(
    client: httpx.AsyncClient, handlers: Handlers, method: str, path: str
) -> None:
    body = {"note": "x"} if method == "PATCH" else None
    first = await client.request(method, path, json=body, headers=keyed("change-1"))
    retry = await client.request(method, path, json=body, headers=keyed("change-1"))
    assert retry.status_code == first.status_code
    assert retry.headers["idempotent-replayed"] == "true"
    assert handlers.calls == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [({"org": "org_a"}, {"org": "org_b"}), ({"subject": "usr_1"}, {"subject": "usr_2"})],
    ids=["two organisations", "two principals"],
)
async def test_given_the_same_key_from_two_callers_then_each_runs_once(
    client: httpx.AsyncClient, handlers: Handlers, first: dict[str, str], second: dict[str, str]
) -> None:
    one = await client.post(ORDERS, json=ORDER, headers=keyed("order-1", **first))
    other = await client.post(ORDERS, json=ORDER, headers=keyed("order-1", **second))
    assert one.status_code == other.status_code == 201
    assert "idempotent-replayed" not in other.headers
    assert handlers.calls == 2


async def test_given_a_keyed_body_over_the_limit_then_413_and_nothing_runs(
    make_app: Callable[..., Litestar], handlers: Handlers
) -> None:
    app = make_app(max_body_bytes="64")
    for route in handlers.routes():
        app.register(route)
    async with lifespan_of(app), serving(app) as client:
        response = await client.post(ORDERS, json={"padding": "x" * 100}, headers=keyed("order-1"))
    assert response.status_code == 413
    assert response.json()["type"] == "/problems/payload-too-large"
    assert handlers.calls == 0


async def test_given_keyed_requests_then_their_outcomes_are_counted_on_metrics(
    client: httpx.AsyncClient,
) -> None:
    names = [
        f"lml_idempotency_{outcome}_total"
        for outcome in ("begin", "commit", "hit_cached", "conflict")
    ]
    before = render().decode()

    await client.post(ORDERS, json=ORDER, headers=keyed("metered-1"))
    await client.post(ORDERS, json=ORDER, headers=keyed("metered-1"))
    await client.post(ORDERS, json={"other": True}, headers=keyed("metered-1"))

    after = render().decode()
    assert [metric(after, name) - metric(before, name) for name in names] == [1, 1, 1, 1]
    assert "lml_idempotency_in_progress_total" in after


@pytest.mark.parametrize(("method", "body"), [("PATCH", {"note": "x"}), ("DELETE", None)])
@pytest.mark.parametrize("retried_with", ['"someone-elses-token"', None], ids=["wrong", "missing"])
async def test_given_a_key_retried_with_another_if_match_then_409_and_the_answer_is_not_replayed(
    client: httpx.AsyncClient,
    handlers: Handlers,
    method: str,
    body: dict[str, str] | None,
    retried_with: str | None,
) -> None:
    """The token a request presents is part of it: a retry that presents a wrong token,
    or none, must not be handed the answer (and the ETag) the real token earned."""
    path = f"{ORDERS}/ord_1"
    first = {**keyed("change-1"), "If-Match": '"the-real-token"'}
    retry = keyed("change-1") | ({"If-Match": retried_with} if retried_with else {})

    await client.request(method, path, json=body, headers=first)
    reused = await client.request(method, path, json=body, headers=retry)

    assert reused.status_code == 409
    assert reused.json()["type"] == "/problems/idempotency-key-reuse"
    assert "idempotent-replayed" not in reused.headers
    assert handlers.calls == 1


async def test_given_a_key_retried_with_the_same_if_match_then_it_is_replayed(
    client: httpx.AsyncClient, handlers: Handlers
) -> None:
    headers = {**keyed("change-1"), "If-Match": '"the-real-token"'}

    await client.patch(f"{ORDERS}/ord_1", json={"note": "x"}, headers=headers)
    retry = await client.patch(f"{ORDERS}/ord_1", json={"note": "x"}, headers=headers)

    assert retry.headers["idempotent-replayed"] == "true"
    assert handlers.calls == 1
