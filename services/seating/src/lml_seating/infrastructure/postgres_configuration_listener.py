"""One connection per process that LISTENs for inventory configuration changes
(migrations/0017) and tells a ``CachedConfigurations`` of them.

The cache is trusted only while this connection is known to deliver: from its ``LISTEN``
until the first sign it may not (an error, or a heartbeat unanswered within
``timeout_seconds``); then the cache is told at once, before the connection is given up,
and bypassed until a new connection listens. A heartbeat (``select 1``) follows every
``heartbeat_seconds`` of listening, so a connection that died silently is noticed within
about ``heartbeat_seconds + timeout_seconds``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

import msgspec
import psycopg

from lml_seating.application.ports import InventoryConfigurations
from lml_seating.infrastructure.cached_configurations import CachedConfigurations

CHANNEL = "lml_inventory_configuration"
# So an operator (or a test) can tell the listening connection in pg_stat_activity.
APPLICATION_NAME = "lml configuration listener"

log = logging.getLogger("lml.seating")


class _Change(msgspec.Struct, frozen=True):
    tenant_id: str
    event_id: str


_decode = msgspec.json.Decoder(_Change).decode


@asynccontextmanager
async def listened_configurations(
    configurations: InventoryConfigurations,
    conninfo: str,
    *,
    heartbeat_seconds: float,
    timeout_seconds: float,
) -> AsyncIterator[CachedConfigurations]:
    """A cache of ``configurations`` with its listener running until the context ends."""
    cache = CachedConfigurations(configurations)
    listener = asyncio.create_task(
        listen_for_changes(
            cache, conninfo, heartbeat_seconds=heartbeat_seconds, timeout_seconds=timeout_seconds
        ),
        name="configuration-listener",
    )
    try:
        yield cache
    finally:
        listener.cancel()
        with suppress(asyncio.CancelledError):
            await listener
        cache.listener_down()


async def listen_for_changes(
    cache: CachedConfigurations,
    conninfo: str,
    *,
    heartbeat_seconds: float,
    timeout_seconds: float,
) -> None:
    """Listen, and listen again after every failure (waiting ``heartbeat_seconds``), until
    cancelled; the cache is bypassed whenever no connection listens. Says so once per
    outage, not at every attempt."""
    reachable = True
    while True:
        try:
            connection = await _listening_connection(conninfo, timeout_seconds)
        except Exception as error:
            if reachable:
                log.warning(
                    "cannot listen for configuration changes: revalidations read PostgreSQL",
                    extra={"error": str(error)},
                )
            reachable = False
        else:
            reachable = True
            try:
                async with connection:
                    cache.listener_up()
                    await _follow(cache, connection, heartbeat_seconds, timeout_seconds)
            except Exception as error:
                log.warning(
                    "stopped listening for configuration changes: revalidations read"
                    " PostgreSQL until it listens again",
                    extra={"error": str(error)},
                )
            finally:
                cache.listener_down()
        await asyncio.sleep(heartbeat_seconds)


async def _listening_connection(
    conninfo: str, timeout_seconds: float
) -> psycopg.AsyncConnection[Any]:
    connection = await psycopg.AsyncConnection.connect(
        conninfo,
        autocommit=True,
        connect_timeout=max(1, round(timeout_seconds)),
        application_name=APPLICATION_NAME,
    )
    try:
        await connection.execute(f"listen {CHANNEL}")
    except BaseException:
        await connection.close()
        raise
    return connection


async def _follow(
    cache: CachedConfigurations,
    connection: psycopg.AsyncConnection[Any],
    heartbeat_seconds: float,
    timeout_seconds: float,
) -> None:
    while True:
        async for notify in connection.notifies(timeout=heartbeat_seconds):
            change = _decode(notify.payload)
            cache.changed(change.tenant_id, change.event_id)
        await _heartbeat(cache, connection, timeout_seconds)


async def _heartbeat(
    cache: CachedConfigurations, connection: psycopg.AsyncConnection[Any], timeout_seconds: float
) -> None:
    answer = asyncio.ensure_future(connection.execute("select 1"))
    done, _ = await asyncio.wait({answer}, timeout=timeout_seconds)
    if not done:
        # Told before the connection is given up: closing a stalled one may take a while.
        cache.listener_down()
        answer.cancel()
        raise TimeoutError(f"no heartbeat answer within {timeout_seconds} s")
    answer.result()
