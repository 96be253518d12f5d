"""Over a real connection (uvicorn, httptools: the hub writes frames to the transports
itself): a subscriber that stops reading is dropped, and a fast one misses nothing."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx
import pytest
import redis.asyncio

from lml_api.app import create_app
from lml_api.tokens import build_tokens
from lml_config import Settings
from lml_metrics import REGISTRY
from lml_seating.infrastructure import SeatingKeys
from lml_testing.databases import TemporaryDatabase
from lml_testing.seed import seed_event
from lml_testing.served import over_http
from lml_testing.sse import messages, next_events

pytestmark = pytest.mark.integration

ROUNDS = 40
PER_ROUND = 8
PADDING = "x" * 32_000


def dropped() -> float:
    return REGISTRY.get_sample_value("lml_availability_slow_subscribers_dropped_total") or 0.0


async def test_given_a_client_that_stops_reading_then_it_is_dropped_and_a_fast_one_gets_all(
    make_settings: Callable[..., Settings],
    mongo_url: str,
    redis_key_prefix: str,
    redis_client: redis.asyncio.Redis,
    migrated_database: TemporaryDatabase,
) -> None:
    settings = make_settings(
        mongo_url=mongo_url,
        redis_key_prefix=redis_key_prefix,
        rate_limit_budgets="*=100000/60s",
        availability_subscriber_buffer=4,
    )
    tenant, event_id = f"org_{uuid.uuid4().hex[:12]}", f"evt_{uuid.uuid4().hex[:12]}"
    await seed_event(migrated_database.admin_url, tenant, event_id, ["S-01"], {})
    token = build_tokens(settings).issuer.issue("usr_1", tenant, ["inventory.read"]).access_token
    path = f"/v1/events/{event_id}/availability/stream"
    stream_key = SeatingKeys(redis_key_prefix).stream(event_id)
    before = dropped()
    async with (
        over_http(create_app(settings=settings)) as base,
        httpx.AsyncClient(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client,
        client.stream("GET", path) as fast,
    ):
        fast_events = messages(fast)
        await anext(fast_events)  # retry: the fast subscriber is live
        url = urlsplit(base)
        slow = socket.socket()
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        slow.setblocking(False)
        loop = asyncio.get_running_loop()
        await loop.sock_connect(slow, (url.hostname, url.port))
        await loop.sock_sendall(
            slow,
            f"GET {path} HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {token}\r\n\r\n".encode(),
        )
        try:
            await asyncio.sleep(0.5)  # joined; it never reads again
            # The fast one reads all along, as a browser does.
            reading = asyncio.create_task(
                next_events(fast_events, ROUNDS * PER_ROUND, timeout_seconds=30)
            )
            published = []
            for round_ in range(ROUNDS):
                for n in range(PER_ROUND):
                    data = f'{{"n":{round_ * PER_ROUND + n},"pad":"{PADDING}"}}'
                    published.append(
                        await redis_client.xadd(stream_key, {"type": "seat.held", "data": data})
                    )
                await asyncio.sleep(0.06)
            received = await reading
        finally:
            slow.close()

    assert dropped() > before
    assert [m.id for m in received] == [i.decode() for i in published]
