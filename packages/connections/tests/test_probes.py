"""Each server's probe answers when the server does, and raises when it does not."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from lml_connections import Connections, mongo_client, probes
from lml_postgres import AppPool, create_pool
from lml_redis_scripts import redis_client
from lml_testing.settings import settings_for_tests

CLOSED_PORT_POSTGRES = "postgresql://postgres@127.0.0.1:1/lml"


async def connections_to(database_url: str, redis_url: str, mongo_url: str) -> Connections:
    pool: AppPool = create_pool(
        settings_for_tests(database_url=database_url, dependency_timeout_seconds=0.5)
    )
    await pool.open(wait=False)
    return Connections(
        pool=pool,
        redis=redis_client(redis_url, timeout_seconds=0.5),
        mongo=mongo_client(mongo_url, timeout_seconds=0.5),
    )


async def closed(connections: Connections) -> None:
    await connections.pool.close()
    await connections.redis.aclose()
    await connections.mongo.close()


@pytest.fixture
async def unreachable() -> AsyncIterator[Connections]:
    connections = await connections_to(
        CLOSED_PORT_POSTGRES, "redis://127.0.0.1:1/0", "mongodb://127.0.0.1:1/"
    )
    yield connections
    await closed(connections)


@pytest.mark.integration
async def test_given_answering_servers_when_each_is_probed_then_every_probe_returns(
    app_pool: AppPool, redis_url: str, mongo_url: str
) -> None:
    connections = Connections(
        pool=app_pool,
        redis=redis_client(redis_url, timeout_seconds=5),
        mongo=mongo_client(mongo_url, timeout_seconds=5),
    )
    try:
        for probe in probes(connections).values():
            await probe()
    finally:
        await connections.redis.aclose()
        await connections.mongo.close()

    assert list(probes(connections)) == ["postgresql", "redis", "mongodb"]


@pytest.mark.parametrize("server", ["postgresql", "redis", "mongodb"])
async def test_given_a_server_nobody_listens_for_when_probed_then_its_probe_raises(
    unreachable: Connections, server: str
) -> None:
    with pytest.raises(Exception):  # noqa: B017, PT011 - each driver raises its own error
        await probes(unreachable)[server]()
