"""The API against real servers: readiness, losing a dependency, and start-up retries."""

import asyncio
from collections.abc import AsyncIterator, Callable
from urllib.parse import urlsplit, urlunsplit

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from msgspec.structs import replace
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from lml_api.app import create_app
from lml_api.container import StartupError, open_container
from lml_config import Settings
from lml_devstack import free_port
from lml_testing.polling import eventually
from lml_testing.tcp_proxy import TcpProxy, tcp_proxy

pytestmark = pytest.mark.integration


def postgres_target(url: str) -> tuple[str, int]:
    params = conninfo_to_dict(url)
    host, port = str(params.get("host", "127.0.0.1")), int(params.get("port", 5432))
    if host.startswith("/"):
        return f"{host}/.s.PGSQL.{port}", 0
    return host, port


def postgres_via_proxy(url: str, proxy: TcpProxy) -> str:
    return make_conninfo(url, host="127.0.0.1", port=str(proxy.port))


def via_proxy(url: str, proxy: TcpProxy) -> str:
    parts = urlsplit(url)._replace(netloc=f"127.0.0.1:{proxy.port}")
    if parts.scheme == "mongodb":
        # Without it the driver discovers the replica set's own address and bypasses the proxy.
        parts = parts._replace(query="directConnection=true")
    return urlunsplit(parts)


def url_target(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 0


@pytest.fixture
def settings(make_settings: Callable[..., Settings], mongo_url: str) -> Settings:
    return make_settings(mongo_url=mongo_url, stripe_secret_key="sk_test_example")


async def ready(client: AsyncTestClient[Litestar]) -> tuple[int, dict]:
    response = await client.get("/readyz")
    return response.status_code, response.json()


async def ready_once_probed(client: AsyncTestClient[Litestar], status: int) -> dict:
    """The body of the first /readyz answering ``status``: a verdict lives a second."""
    answers: list[tuple[int, dict]] = []

    async def answered() -> bool:
        answers.append(await ready(client))
        return answers[-1][0] == status

    await eventually(answered, every_seconds=0.1)
    return answers[-1][1]


async def test_given_every_server_up_then_readyz_reports_each_dependency_up(
    settings: Settings,
) -> None:
    async with AsyncTestClient(create_app(settings=settings)) as client:
        status, body = await ready(client)
    assert status == 200, body
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "postgresql": "up",
        "redis": "up",
        "mongodb": "up",
        "stripe": "up",
    }


async def test_given_production_without_a_stripe_secret_then_readyz_is_503_and_logs_why(
    make_settings: Callable[..., Settings], mongo_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Outside production no key means the fake gateway, which is ready; production refuses
    # to start without one, so only settings made by hand reach this.
    unkeyed = make_settings(mongo_url=mongo_url, env="production")
    async with AsyncTestClient(create_app(settings=unkeyed)) as client:
        status, body = await ready(client)
    assert status == 503
    assert body["checks"]["stripe"] == {"status": "down"}
    assert any(
        getattr(record, "reason", None) == "LML_STRIPE_SECRET_KEY is not configured"
        for record in caplog.records
    )


async def test_given_the_fake_gateway_outside_production_then_readyz_reports_stripe_up(
    make_settings: Callable[..., Settings], mongo_url: str
) -> None:
    async with AsyncTestClient(create_app(settings=make_settings(mongo_url=mongo_url))) as client:
        status, body = await ready(client)
    assert status == 200, body
    assert body["checks"]["stripe"] == {"status": "up"}


DEPENDENCY = {"database_url": "postgresql", "redis_url": "redis", "mongo_url": "mongodb"}


@pytest.fixture(params=sorted(DEPENDENCY))
async def proxied(
    request: pytest.FixtureRequest, settings: Settings
) -> AsyncIterator[tuple[str, Settings, TcpProxy]]:
    """Settings whose one dependency is reached through a proxy the test can cut."""
    field = request.param
    url = getattr(settings, field)
    postgres = field == "database_url"
    target = postgres_target(url) if postgres else url_target(url)
    with tcp_proxy(*target) as proxy:
        proxied_url = postgres_via_proxy(url, proxy) if postgres else via_proxy(url, proxy)
        yield DEPENDENCY[field], replace(settings, **{field: proxied_url}), proxy


async def test_given_a_dependency_lost_while_running_then_readyz_is_503_until_it_returns(
    proxied: tuple[str, Settings, TcpProxy],
) -> None:
    dependency, settings, proxy = proxied
    async with AsyncTestClient(create_app(settings=settings)) as client:
        assert (await ready(client))[0] == 200

        proxy.cut()
        body = await ready_once_probed(client, 503)
        assert body["checks"][dependency]["status"] == "down"
        others = {name: c["status"] for name, c in body["checks"].items() if name != dependency}
        assert set(others.values()) == {"up"}

        proxy.restore()
        await ready_once_probed(client, 200)


async def test_given_a_dependency_down_at_start_up_then_it_fails_after_the_retries(
    settings: Settings,
) -> None:
    unreachable = f"redis://127.0.0.1:{free_port()}/0"
    retrying = replace(
        settings, redis_url=unreachable, startup_attempts=3, startup_backoff_seconds=0.01
    )
    with pytest.raises(StartupError, match="redis unreachable after 3 attempts"):
        await open_container(retrying)


async def test_given_a_dependency_that_comes_up_during_retries_then_start_up_succeeds(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    redis_url = settings.redis_url or ""
    with tcp_proxy(*url_target(redis_url)) as proxy:
        proxy.cut()
        retrying = replace(
            settings,
            redis_url=via_proxy(redis_url, proxy),
            startup_attempts=8,
            startup_backoff_seconds=0.05,
        )
        opening = asyncio.create_task(open_container(retrying))
        await eventually(lambda: "dependency not reachable yet" in caplog.text)
        proxy.restore()
        container = await opening
        await container.aclose()


async def test_given_postgresql_lost_then_requests_needing_it_are_503_until_it_returns(
    settings: Settings,
) -> None:
    url = settings.database_url or ""
    with tcp_proxy(*postgres_target(url)) as proxy:
        app = create_app(settings=replace(settings, database_url=postgres_via_proxy(url, proxy)))
        async with AsyncTestClient(app) as client:
            token = app.state.container.tokens.issuer.issue("usr_x", "org_x", {"identity.me.read"})
            headers = {"Authorization": f"Bearer {token.access_token}"}
            assert (await client.get("/v1/users/me", headers=headers)).status_code == 404

            proxy.cut()
            lost = await client.get("/v1/users/me", headers=headers)
            assert lost.status_code == 503
            assert lost.json()["type"] == "/problems/dependency-unavailable"
            assert lost.json()["dependency"] == "postgresql"
            assert int(lost.headers["retry-after"]) > 0

            proxy.restore()

            # The breaker closes at its next probe's answer, without a restart.
            async def served_again() -> bool:
                return (await client.get("/v1/users/me", headers=headers)).status_code == 404

            await eventually(served_again, deadline_seconds=3, every_seconds=0.05)
