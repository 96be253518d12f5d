"""The process's breakers of its three servers (``lml_result.breakers``), installed while
it holds its connections."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg

from lml_connections.connections import Connections
from lml_result.breakers import Breaker, Probe, install, uninstall


def breaker_probes(connections: Connections, postgres_conninfo: str) -> dict[str, Probe]:
    """What each breaker asks to learn whether its server answers.

    PostgreSQL's opens a connection of its own rather than borrowing one from the pool:
    a pool that is only busy (every connection lent, ``PoolTimeout``) must not look like
    a server that is away.
    """

    async def postgresql() -> None:
        connection = await psycopg.AsyncConnection.connect(postgres_conninfo)
        try:
            await connection.execute("select 1")
        finally:
            await connection.close()

    async def redis() -> None:
        await connections.redis.ping()

    async def mongodb() -> None:
        await connections.mongo.admin.command("ping")

    return {"postgresql": postgresql, "redis": redis, "mongodb": mongodb}


@asynccontextmanager
async def installed_breakers(
    connections: Connections,
    *,
    postgres_conninfo: str,
    stall_seconds: float,
    probe_interval_seconds: float,
) -> AsyncIterator[list[Breaker]]:
    """One breaker per server, installed for the block and removed after it."""
    breakers = [
        Breaker(
            name, probe, stall_seconds=stall_seconds, probe_interval_seconds=probe_interval_seconds
        )
        for name, probe in breaker_probes(connections, postgres_conninfo).items()
    ]
    for breaker in breakers:
        install(breaker)
    try:
        yield breakers
    finally:
        for breaker in breakers:
            uninstall(breaker)
            await breaker.aclose()
