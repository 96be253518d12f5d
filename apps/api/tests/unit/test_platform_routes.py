"""Probes, status, metrics, request ids and the OpenAPI document."""

import pytest
from litestar.testing import AsyncTestClient

from lml_api.readiness import Check


async def test_given_a_running_process_then_livez_is_ok(client: AsyncTestClient) -> None:
    response = await client.get("/livez")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_given_every_dependency_up_then_readyz_is_200_with_each_check(
    client: AsyncTestClient,
) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"postgresql", "redis", "mongodb"}
    assert all(check["status"] == "up" for check in body["checks"].values())


async def test_given_one_dependency_down_then_readyz_is_503_naming_it(
    checks: list[Check], client: AsyncTestClient
) -> None:
    async def refused() -> None:
        raise ConnectionRefusedError

    checks[1] = Check("redis", refused)
    response = await client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unready"
    assert body["checks"]["redis"] == {"status": "down", "error": "ConnectionRefusedError"}
    assert body["checks"]["postgresql"]["status"] == "up"


async def test_given_a_hanging_dependency_then_readyz_answers_within_the_timeout(
    checks: list[Check], make_app
) -> None:
    import asyncio

    async def hang() -> None:
        await asyncio.Event().wait()

    checks.append(Check("mongodb-slow", hang))
    async with AsyncTestClient(make_app(dependency_timeout_seconds="0.05")) as client:
        response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["mongodb-slow"]["error"] == "no answer within 0.05s"


async def test_status_is_never_cached_and_tells_the_server_time(
    client: AsyncTestClient,
) -> None:
    response = await client.get("/v1/status")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["service"] == "lml"
    assert body["server_time"].endswith("Z") or body["server_time"].endswith("+00:00")


async def test_given_no_request_id_then_one_is_generated(client: AsyncTestClient) -> None:
    first = await client.get("/livez")
    second = await client.get("/livez")
    assert len(first.headers["x-request-id"]) == 32
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_given_a_request_id_then_it_is_echoed(client: AsyncTestClient) -> None:
    response = await client.get("/livez", headers={"X-Request-ID": "client-req-42"})
    assert response.headers["x-request-id"] == "client-req-42"


@pytest.mark.parametrize("bad", ["has space", "x" * 129, "semi;colon"])
async def test_given_an_unsafe_request_id_then_a_fresh_one_replaces_it(
    client: AsyncTestClient, bad: str
) -> None:
    response = await client.get("/livez", headers={"X-Request-ID": bad})
    assert response.headers["x-request-id"] != bad


async def test_given_an_error_answer_then_it_carries_a_request_id_too(
    client: AsyncTestClient,
) -> None:
    response = await client.get("/nowhere", headers={"X-Request-ID": "trace-me"})
    assert response.status_code == 404
    assert response.headers["x-request-id"] == "trace-me"


async def test_metrics_count_requests_by_route_template_not_raw_path(
    client: AsyncTestClient,
) -> None:
    await client.get("/problems/not-found")
    text = (await client.get("/metrics")).text
    assert 'route="/problems/{slug}"' in text
    assert 'route="/problems/not-found"' not in text
    assert "lml_http_request_duration_seconds_bucket" in text


async def test_the_openapi_document_describes_the_routes(client: AsyncTestClient) -> None:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/livez", "/readyz", "/v1/status"} <= set(paths)
