"""Probes, status, metrics, request ids and the OpenAPI document."""

import asyncio
import urllib.request

import pytest
from litestar.testing import AsyncTestClient

from lml_api.readiness import CachedReadiness, Check
from lml_metrics import metrics_listener, render
from lml_result import DependencyUnavailable


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
    assert body["checks"]["redis"] == {"status": "down"}
    assert body["checks"]["postgresql"] == {"status": "up"}


async def test_given_a_hanging_dependency_then_readyz_answers_within_the_timeout(
    checks: list[Check], make_app
) -> None:
    async def hang() -> None:
        await asyncio.Event().wait()

    checks.append(Check("mongodb-slow", hang))
    async with AsyncTestClient(make_app(dependency_timeout_seconds="0.05")) as client:
        response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["mongodb-slow"] == {"status": "down"}


async def test_given_a_failing_check_then_readyz_tells_only_that_it_failed_and_the_log_why(
    checks: list[Check], client: AsyncTestClient, caplog: pytest.LogCaptureFixture
) -> None:
    async def refused() -> None:
        raise DependencyUnavailable("redis", "connecting to 10.0.0.7:6379 refused")

    checks[1] = Check("redis", refused)
    response = await client.get("/readyz")

    assert "10.0.0.7" not in response.text
    assert any(getattr(record, "reason", "").endswith("refused") for record in caplog.records)


async def test_given_a_flood_of_readyz_requests_then_the_dependencies_are_probed_once_a_second(
    checks: list[Check], client: AsyncTestClient
) -> None:
    probes = 0

    async def counted() -> None:
        nonlocal probes
        probes += 1
        await asyncio.sleep(0.01)

    checks[:] = [Check("postgresql", counted)]
    answers = await asyncio.gather(*(client.get("/readyz") for _ in range(50)))
    answers += [await client.get("/readyz") for _ in range(50)]

    assert {answer.status_code for answer in answers} == {200}
    assert probes == 1


async def test_given_a_verdict_older_than_a_second_then_readyz_probes_again() -> None:
    probes = 0

    async def counted() -> None:
        nonlocal probes
        probes += 1

    readiness = CachedReadiness([Check("postgresql", counted)], 1.0, max_age_seconds=0.0)
    await readiness.current()
    await readiness.current()

    assert probes == 2


async def test_given_the_public_port_then_metrics_are_not_served_there(
    client: AsyncTestClient,
) -> None:
    """Metrics name tenants: they are served on their own loopback listener only."""
    assert (await client.get("/metrics")).status_code == 404


def test_given_a_metrics_listener_then_it_serves_the_registry_until_closed() -> None:
    with (
        metrics_listener("127.0.0.1", 0) as port,
        urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics") as response,
    ):
        text = response.read().decode()
    assert "lml_http_requests_total" in text


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
    text = render().decode()
    assert 'route="/problems/{slug}"' in text
    assert 'route="/problems/not-found"' not in text
    assert "lml_http_request_duration_seconds_bucket" in text


async def test_the_openapi_document_describes_the_routes(client: AsyncTestClient) -> None:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/livez", "/readyz", "/v1/status"} <= set(paths)
