"""Every error answer is RFC 9457 Problem Details with a catalogued type."""

import msgspec
import psycopg
import pytest
import redis.exceptions
from litestar import Litestar, get, post
from litestar.params import FromPath, JSONBody
from litestar.testing import AsyncTestClient

from lml_api.access import PUBLIC
from lml_api.problems import CATALOGUE, ProblemError
from lml_result import DependencyUnavailable

PROBLEM_JSON = "application/problem+json"


class Payload(msgspec.Struct):
    name: str
    quantity: int


@post("/test/echo", opt=PUBLIC)
async def echo(data: JSONBody[Payload]) -> Payload:
    return data


@get("/test/boom", opt=PUBLIC)
async def boom() -> None:
    raise RuntimeError("SELECT secret FROM lml.tenants -- internal detail")


@get("/test/outage/{kind:str}", opt=PUBLIC)
async def outage(kind: FromPath[str]) -> None:
    if kind == "domain":
        raise DependencyUnavailable("redis", "connection refused")
    if kind == "psycopg":
        raise psycopg.OperationalError("server closed the connection unexpectedly")
    raise redis.exceptions.ConnectionError("Connection refused")


@get("/test/conflict", opt=PUBLIC)
async def conflict() -> None:
    raise ProblemError("seat-conflict", "2 seats are taken.", conflicting_seats=["A-1", "A-2"])


@pytest.fixture
def app(app: Litestar) -> Litestar:
    for handler in (echo, boom, outage, conflict):
        app.register(handler)
    return app


def assert_problem(response, slug: str, status: int) -> dict:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["type"] == f"/problems/{slug}"
    assert body["status"] == status
    assert body["title"] == CATALOGUE[slug].title
    assert body["detail"]
    return body


async def test_given_an_unknown_route_then_404_not_found_names_the_instance(
    client: AsyncTestClient,
) -> None:
    response = await client.get("/v1/nowhere")
    body = assert_problem(response, "not-found", 404)
    assert body["instance"] == "/v1/nowhere"


async def test_given_a_wrong_method_then_405_lists_the_allowed_methods(
    client: AsyncTestClient,
) -> None:
    response = await client.delete("/livez")
    assert_problem(response, "method-not-allowed", 405)
    assert "GET" in response.headers["allow"]


async def test_given_malformed_json_then_400_bad_request(client: AsyncTestClient) -> None:
    response = await client.post(
        "/test/echo", content=b'{"name": ', headers={"content-type": "application/json"}
    )
    assert_problem(response, "bad-request", 400)


async def test_given_a_body_breaking_the_contract_then_422_lists_each_field(
    client: AsyncTestClient,
) -> None:
    response = await client.post("/test/echo", json={"name": "x", "quantity": "many"})
    body = assert_problem(response, "validation-error", 422)
    assert body["errors"] == [{"field": "quantity", "message": "Expected `int`, got `str`"}]


async def test_given_a_body_over_the_limit_then_413_and_nothing_runs(make_app) -> None:
    app = make_app(max_body_bytes="64")
    app.register(echo)
    async with AsyncTestClient(app) as client:
        response = await client.post("/test/echo", json={"name": "x" * 100, "quantity": 1})
    assert_problem(response, "payload-too-large", 413)


async def test_given_an_unexpected_error_then_500_without_internals(
    client: AsyncTestClient,
) -> None:
    response = await client.get("/test/boom")
    body = assert_problem(response, "internal-error", 500)
    assert "SELECT" not in response.text
    assert "Traceback" not in response.text
    assert "RuntimeError" not in response.text
    assert body["detail"] == "The server failed to answer the request."


@pytest.mark.parametrize(
    ("kind", "dependency"), [("domain", "redis"), ("psycopg", "postgresql"), ("redis", "redis")]
)
async def test_given_a_lost_dependency_then_503_with_retry_after(
    client: AsyncTestClient, kind: str, dependency: str
) -> None:
    response = await client.get(f"/test/outage/{kind}")
    body = assert_problem(response, "dependency-unavailable", 503)
    assert body["dependency"] == dependency
    assert int(response.headers["retry-after"]) > 0


async def test_given_a_problem_error_then_its_extension_members_are_in_the_body(
    client: AsyncTestClient,
) -> None:
    response = await client.get("/test/conflict")
    body = assert_problem(response, "seat-conflict", 409)
    assert body["conflicting_seats"] == ["A-1", "A-2"]


@pytest.mark.parametrize("slug", sorted(CATALOGUE))
async def test_every_problem_type_is_described_at_its_uri(
    client: AsyncTestClient, slug: str
) -> None:
    response = await client.get(f"/problems/{slug}")
    assert response.status_code == 200
    description = response.json()
    assert description["slug"] == slug
    assert description["status"] == CATALOGUE[slug].status
    assert description["description"]


async def test_given_an_unknown_problem_slug_then_404(client: AsyncTestClient) -> None:
    assert_problem(await client.get("/problems/no-such-thing"), "not-found", 404)


def test_an_unknown_slug_cannot_be_raised() -> None:
    with pytest.raises(ValueError, match="unknown problem type"):
        ProblemError("made-up", "nope")
