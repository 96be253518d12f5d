"""Rate limits per route and caller: exact headers, 429 when spent, probes never limited."""

from collections.abc import AsyncIterator, Callable
from dataclasses import replace

import pytest
from litestar import Litestar, get, post
from litestar.testing import AsyncTestClient

from lml_api.access import PUBLIC, requires
from lml_api.app import create_app
from lml_api.fakes import in_memory_container
from lml_api.readiness import Check
from lml_api.tokens import build_tokens
from lml_config import load_settings
from lml_ratelimit import GuardedRateLimiter, InMemoryRateLimiter
from lml_testing.clocks import ManualMonotonicClock

SCOPE = "venues.write"
THINGS = "/v1/test/things"
RATE_LIMIT_HEADERS = (
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "ratelimit-policy",
    "ratelimit",
)


class Calls:
    def __init__(self) -> None:
        self.count = 0


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def clock() -> ManualMonotonicClock:
    # At the start of a 60 s window, so the sliding-window figures are round.
    return ManualMonotonicClock(seconds=1_200.0)


@pytest.fixture
def make_client(
    checks: list[Check], clock: ManualMonotonicClock, calls: Calls
) -> Callable[..., AsyncTestClient[Litestar]]:
    """A client of an app with the given settings and a rate limiter on the test's clock."""

    @post(THINGS, opt=requires(SCOPE), status_code=201)
    async def create_thing() -> dict[str, int]:
        calls.count += 1
        return {"calls": calls.count}

    @get(THINGS, opt=requires(SCOPE))
    async def list_things() -> dict[str, int]:
        return {"calls": calls.count}

    @post("/v1/test/others", opt=requires(SCOPE), status_code=201)
    async def create_other() -> None:
        return None

    @get("/v1/test/public", opt=PUBLIC)
    async def public() -> None:
        return None

    def make(**env: str) -> AsyncTestClient[Litestar]:
        settings = load_settings({f"LML_{key.upper()}": value for key, value in env.items()})
        limiter = GuardedRateLimiter(InMemoryRateLimiter(clock))
        app = create_app(replace(in_memory_container(settings, checks), rate_limiter=limiter))
        for route in (create_thing, list_things, create_other, public):
            app.register(route)
        return AsyncTestClient(app)

    return make


@pytest.fixture
async def client(
    make_client: Callable[..., AsyncTestClient[Litestar]],
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with make_client(rate_limit_budgets="POST *=3/60s;*=100/60s") as test_client:
        yield test_client


def bearer(org: str = "org_a", subject: str = "usr_1") -> dict[str, str]:
    token = build_tokens(load_settings({})).issuer.issue(subject, org, [SCOPE]).access_token
    return {"Authorization": f"Bearer {token}"}


def forwarded_for(chain: str) -> dict[str, str]:
    return {"X-Forwarded-For": chain}


async def test_given_a_budget_of_3_then_each_answer_tells_exactly_what_is_left(
    client: AsyncTestClient[Litestar],
) -> None:
    for remaining in (2, 1, 0):
        response = await client.post(THINGS, headers=bearer())
        assert response.status_code == 201
        assert {name: response.headers[name] for name in RATE_LIMIT_HEADERS} == {
            "x-ratelimit-limit": "3",
            "x-ratelimit-remaining": str(remaining),
            "x-ratelimit-reset": "120",
            "ratelimit-policy": '"POST *";q=3;w=60',
            "ratelimit": f'"POST *";r={remaining};t=120',
        }
        assert "retry-after" not in response.headers


async def test_given_the_budget_spent_then_429_rate_limited_with_retry_after_and_no_call(
    client: AsyncTestClient[Litestar], calls: Calls
) -> None:
    for _ in range(3):
        await client.post(THINGS, headers=bearer())

    response = await client.post(THINGS, headers=bearer())

    assert response.status_code == 429
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "/problems/rate-limited"
    assert body["status"] == 429
    assert response.headers["retry-after"] == "80"
    assert response.headers["x-ratelimit-remaining"] == "0"
    assert response.headers["ratelimit"] == '"POST *";r=0;t=120'
    assert calls.count == 3


async def test_given_retry_after_has_passed_then_the_request_is_served_again(
    client: AsyncTestClient[Litestar], clock: ManualMonotonicClock
) -> None:
    for _ in range(3):
        await client.post(THINGS, headers=bearer())
    retry_after = int((await client.post(THINGS, headers=bearer())).headers["retry-after"])

    clock.advance(retry_after)

    assert (await client.post(THINGS, headers=bearer())).status_code == 201


async def test_given_budgets_per_route_and_method_then_each_route_gets_its_own(
    make_client: Callable[..., AsyncTestClient[Litestar]],
) -> None:
    budgets = f"POST {THINGS}=2/60s;POST *=5/60s;*=10/60s"
    async with make_client(rate_limit_budgets=budgets) as client:
        route = await client.post(THINGS, headers=bearer())
        method = await client.post("/v1/test/others", headers=bearer())
        default = await client.get(THINGS, headers=bearer())

    assert route.headers["ratelimit-policy"] == f'"POST {THINGS}";q=2;w=60'
    assert method.headers["ratelimit-policy"] == '"POST *";q=5;w=60'
    assert default.headers["ratelimit-policy"] == '"default";q=10;w=60'
    assert [r.headers["x-ratelimit-limit"] for r in (route, method, default)] == ["2", "5", "10"]


async def test_given_routes_sharing_a_method_budget_then_each_keeps_its_own_count(
    client: AsyncTestClient[Litestar],
) -> None:
    await client.post(THINGS, headers=bearer())
    other = await client.post("/v1/test/others", headers=bearer())
    assert other.headers["x-ratelimit-remaining"] == "2"


async def test_given_one_organisation_spent_its_budget_then_its_users_wait_and_others_do_not(
    make_client: Callable[..., AsyncTestClient[Litestar]],
) -> None:
    async with make_client(rate_limit_budgets="*=1/60s") as client:
        assert (await client.post(THINGS, headers=bearer("org_a", "usr_1"))).status_code == 201
        same_org = await client.post(THINGS, headers=bearer("org_a", "usr_2"))
        other_org = await client.post(THINGS, headers=bearer("org_b", "usr_3"))
    assert same_org.status_code == 429
    assert other_org.status_code == 201


async def test_given_a_failed_authentication_then_it_spends_no_budget(
    make_client: Callable[..., AsyncTestClient[Litestar]],
) -> None:
    async with make_client(rate_limit_budgets="*=1/60s") as client:
        refused = await client.post(THINGS)
        served = await client.post(THINGS, headers=bearer())
    assert refused.status_code == 401
    assert "x-ratelimit-limit" not in refused.headers
    assert served.status_code == 201


async def test_given_a_trusted_proxy_then_a_public_route_is_limited_per_client_address(
    make_client: Callable[..., AsyncTestClient[Litestar]],
) -> None:
    async with make_client(rate_limit_budgets="*=2/60s", trust_forwarded_for="true") as client:
        first = [
            (await client.get("/v1/test/public", headers=forwarded_for("203.0.113.1"))).status_code
            for _ in range(2)
        ]
        # The proxy appends the address it saw; what the client put before it is ignored.
        forged = await client.get(
            "/v1/test/public", headers=forwarded_for("198.51.100.9, 203.0.113.1")
        )
        another = await client.get("/v1/test/public", headers=forwarded_for("203.0.113.2"))
    assert first == [200, 200]
    assert forged.status_code == 429
    assert another.status_code == 200
    assert another.headers["x-ratelimit-remaining"] == "1"


async def test_given_no_trusted_proxy_then_x_forwarded_for_is_ignored(
    make_client: Callable[..., AsyncTestClient[Litestar]],
) -> None:
    async with make_client(rate_limit_budgets="*=2/60s") as client:
        for address in ("203.0.113.1", "203.0.113.2"):
            await client.get("/v1/test/public", headers=forwarded_for(address))
        third = await client.get("/v1/test/public", headers=forwarded_for("203.0.113.3"))
    assert third.status_code == 429


@pytest.mark.parametrize(
    "path", ["/livez", "/readyz", "/schema/openapi.json", "/problems/rate-limited"]
)
async def test_given_a_platform_probe_then_it_is_never_limited(
    make_client: Callable[..., AsyncTestClient[Litestar]], path: str
) -> None:
    async with make_client(rate_limit_budgets="*=1/60s") as client:
        responses = [await client.get(path) for _ in range(3)]
    assert [response.status_code for response in responses] == [200, 200, 200]
    assert all("x-ratelimit-limit" not in response.headers for response in responses)


async def test_given_the_public_status_route_then_it_is_limited(
    make_client: Callable[..., AsyncTestClient[Litestar]],
) -> None:
    async with make_client(rate_limit_budgets="*=1/60s") as client:
        await client.get("/v1/status")
        assert (await client.get("/v1/status")).status_code == 429


async def test_given_answers_from_the_idempotency_layer_then_they_carry_fresh_limit_headers(
    client: AsyncTestClient[Litestar],
) -> None:
    keyed = {**bearer(), "Idempotency-Key": "thing-1"}
    await client.post(THINGS, headers=keyed)
    replay = await client.post(THINGS, headers=keyed)
    reuse = await client.post(THINGS, headers=keyed, json={"different": True})
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.headers["x-ratelimit-remaining"] == "1"
    assert reuse.status_code == 409
    assert reuse.headers["x-ratelimit-remaining"] == "0"
