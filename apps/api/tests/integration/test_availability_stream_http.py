"""The availability stream on real PostgreSQL and Redis, two API processes' worth of
instances serving one event over real HTTP connections."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from lml_api.app import create_app
from lml_api.tokens import build_tokens
from lml_config import Settings
from lml_testing.databases import TemporaryDatabase
from lml_testing.seed import seed_event
from lml_testing.served import over_http
from lml_testing.sse import messages, next_events

pytestmark = pytest.mark.integration

SEATS = [f"S-{n:02d}" for n in range(1, 7)]


@pytest.fixture
def settings(
    make_settings: Callable[..., Settings], mongo_url: str, redis_key_prefix: str
) -> Settings:
    return make_settings(
        mongo_url=mongo_url,
        redis_key_prefix=redis_key_prefix,
        rate_limit_budgets="*=100000/60s",
        availability_heartbeat_seconds=0.5,
    )


@pytest.fixture
def tenant() -> str:
    return f"org_{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def event_id(migrated_database: TemporaryDatabase, tenant: str) -> str:
    event = f"evt_{uuid.uuid4().hex[:12]}"
    await seed_event(migrated_database.admin_url, tenant, event, SEATS, {"GA": 10})
    return event


@pytest.fixture
async def instances(settings: Settings, tenant: str) -> AsyncIterator[list[httpx.AsyncClient]]:
    scopes = ["inventory.read", "inventory.holds:write"]
    token = build_tokens(settings).issuer.issue("usr_1", tenant, scopes).access_token
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        over_http(create_app(settings=settings)) as first,
        over_http(create_app(settings=settings)) as second,
        httpx.AsyncClient(base_url=first, headers=headers, timeout=10) as one,
        httpx.AsyncClient(base_url=second, headers=headers, timeout=10) as other,
    ):
        yield [one, other]


async def test_given_watchers_on_two_instances_when_one_takes_a_hold_then_both_see_it(
    instances: list[httpx.AsyncClient], event_id: str
) -> None:
    one, other = instances
    stream = f"/v1/events/{event_id}/availability/stream"
    async with one.stream("GET", stream) as here, other.stream("GET", stream) as there:
        here_events, there_events = messages(here), messages(there)
        await anext(here_events)
        await anext(there_events)
        # Both readers are live once each stream has answered its first heartbeat.
        await anext(here_events)
        await anext(there_events)

        held = await one.post("/v1/holds", json={"event_id": event_id, "seat_ids": ["S-01"]})
        assert held.status_code == 201, held.text
        (seen_here,) = await next_events(here_events, 1)
        (seen_there,) = await next_events(there_events, 1)

    assert seen_here.event == seen_there.event == "seat.held"
    assert seen_here.id == seen_there.id
    assert seen_here.json()["hold_id"] == held.json()["id"]  # type: ignore[index]


async def test_given_a_client_that_saw_an_event_when_it_resumes_elsewhere_then_it_misses_nothing(
    instances: list[httpx.AsyncClient], event_id: str
) -> None:
    one, other = instances
    stream = f"/v1/events/{event_id}/availability/stream"
    holds = []
    for seat in SEATS[:3]:
        response = await one.post("/v1/holds", json={"event_id": event_id, "seat_ids": [seat]})
        assert response.status_code == 201, response.text
        holds.append(response.json()["id"])

    async with one.stream("GET", stream, params={"last_event_id": "0-0"}) as response:
        first_two = (await next_events(messages(response), 3))[:2]
    async with other.stream(
        "GET", stream, headers={"Last-Event-ID": first_two[-1].id or ""}
    ) as response:
        (rest,) = await next_events(messages(response), 1)

    assert [m.json()["hold_id"] for m in (*first_two, rest)] == holds  # type: ignore[index]


async def test_given_an_unknown_id_on_redis_then_the_client_is_told_to_resync(
    instances: list[httpx.AsyncClient], event_id: str
) -> None:
    one, _ = instances
    stream = f"/v1/events/{event_id}/availability/stream"
    async with one.stream("GET", stream, params={"last_event_id": "1-1"}) as response:
        (resync,) = await next_events(messages(response), 1)

    assert resync.event == "resync"
    assert resync.json() == {"reason": "unknown", "stream_id": "0-0"}
