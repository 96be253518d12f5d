"""The availability stream over a real HTTP connection, on in-memory adapters: what a
client watching an on-sale receives, and what happens when it falls behind or leaves."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import msgspec
import pytest

from lml_api.app import create_app
from lml_api.container import Container
from lml_api.fakes import in_memory_container
from lml_api.tokens import build_tokens
from lml_config import load_settings
from lml_metrics import REGISTRY
from lml_seating.fakes import InMemoryAvailabilityEvents, InMemoryInventory
from lml_testing.polling import eventually
from lml_testing.served import over_http
from lml_testing.sse import Message, messages, next_events

SETTINGS = load_settings(
    {
        "LML_AVAILABILITY_HEARTBEAT_SECONDS": "0.2",
        "LML_AVAILABILITY_BATCH_WINDOW_MS": "0",
        "LML_AVAILABILITY_SUBSCRIBER_BUFFER": "4",
    }
)
ORG = "org_stream"
EVENT = "evt_stream"
STREAM = f"/v1/events/{EVENT}/availability/stream"


def bearer(org: str = ORG) -> dict[str, str]:
    scopes = ["inventory.read", "inventory.holds:write"]
    token = build_tokens(SETTINGS).issuer.issue("usr_1", org, scopes).access_token
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def container() -> Container:
    container = in_memory_container(SETTINGS)
    inventory = container.seating.inventory
    assert isinstance(inventory, InMemoryInventory)
    inventory.add_event(
        ORG, EVENT, seats=[f"A-{n}" for n in range(1, 21)], zones={"GA": 50}, max_seats_per_hold=20
    )
    return container


@pytest.fixture
async def api(container: Container) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        over_http(create_app(container)) as base_url,
        httpx.AsyncClient(base_url=base_url, headers=bearer(), timeout=5) as client,
    ):
        yield client


async def hold(api: httpx.AsyncClient, *seats: str) -> dict[str, Any]:
    response = await api.post("/v1/holds", json={"event_id": EVENT, "seat_ids": list(seats)})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def release(api: httpx.AsyncClient, held: dict[str, Any]) -> None:
    response = await api.delete(
        f"/v1/holds/{held['id']}", headers={"If-Match": f'"{held["hold_token"]}"'}
    )
    assert response.status_code == 204, response.text


def subscribers() -> float:
    return REGISTRY.get_sample_value("lml_availability_subscribers") or 0.0


async def subscribed(count: float) -> None:
    """The hub has that many subscribers in this process: the stream is live."""
    await eventually(lambda: subscribers() >= count)


async def test_given_a_watcher_when_seats_are_held_and_released_then_it_gets_each_change(
    api: httpx.AsyncClient, container: Container
) -> None:
    before = subscribers()
    async with api.stream("GET", STREAM) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["cache-control"] == "no-cache"
        stream = messages(response)
        first = await anext(stream)
        assert first.retry == SETTINGS.availability_retry_ms
        await subscribed(before + 1)

        held = await hold(api, "A-1", "A-2")
        await release(api, held)
        got = await next_events(stream, 2)

    assert [m.event for m in got] == ["seat.held", "seat.released"]
    assert got[0].json() == {
        "event_id": EVENT,
        "hold_id": held["id"],
        "seat_ids": ["A-1", "A-2"],
        "ga": [],
        "sales_channel_id": None,
        "expires_at": held["expires_at"],
    }
    assert got[1].json()["reason"] == "released"  # type: ignore[index]
    assert all(m.id for m in got)


async def test_given_a_client_that_saw_an_event_when_it_resumes_then_it_gets_exactly_what_it_missed(
    api: httpx.AsyncClient,
) -> None:
    holds = [await hold(api, f"A-{n}") for n in range(1, 5)]
    async with api.stream("GET", STREAM, params={"last_event_id": "0-0"}) as response:
        seen = await next_events(messages(response), 4)
    assert [m.json()["hold_id"] for m in seen] == [h["id"] for h in holds]  # type: ignore[index]

    await release(api, holds[0])
    await release(api, holds[1])
    async with api.stream("GET", STREAM, headers={"Last-Event-ID": seen[1].id or ""}) as response:
        stream = messages(response)
        missed = await next_events(stream, 4)
        more = await hold(api, "A-9")
        (live,) = await next_events(stream, 1)

    assert [(m.event, m.id) for m in missed[:2]] == [(m.event, m.id) for m in seen[2:]]
    assert [m.event for m in missed[2:]] == ["seat.released", "seat.released"]
    assert live.json()["hold_id"] == more["id"]  # type: ignore[index]
    ids = [m.id for m in (*missed, live)]
    assert len(set(ids)) == len(ids)


async def test_given_an_id_whose_successors_were_trimmed_then_the_client_is_told_to_resync(
    api: httpx.AsyncClient, container: Container
) -> None:
    for n in range(1, 4):
        await hold(api, f"A-{n}")
    events = container.seating.events
    assert isinstance(events, InMemoryAvailabilityEvents)
    (oldest, *_, newest) = await events.since(EVENT)
    events.trim(EVENT, 1)

    async with api.stream("GET", STREAM, headers={"Last-Event-ID": oldest.id}) as response:
        (resync,) = await next_events(messages(response), 1)

    assert resync.event == "resync"
    assert resync.json() == {"reason": "too_old", "stream_id": newest.id}
    assert resync.id == newest.id


async def test_given_an_id_this_stream_never_had_then_the_client_is_told_to_resync(
    api: httpx.AsyncClient,
) -> None:
    async with api.stream("GET", STREAM, params={"last_event_id": "99999-0"}) as response:
        (resync,) = await next_events(messages(response), 1)

    assert resync.event == "resync"
    assert resync.json() == {"reason": "unknown", "stream_id": "0-0"}


async def test_given_a_quiet_event_then_heartbeat_comments_keep_the_stream_alive(
    api: httpx.AsyncClient,
) -> None:
    async with api.stream("GET", STREAM) as response:
        comments: list[Message] = []
        async with asyncio.timeout(3):
            async for message in messages(response):
                if message.comment is not None:
                    comments.append(message)
                if len(comments) == 2:
                    break

    assert [m.comment for m in comments] == ["heartbeat", "heartbeat"]


@pytest.mark.parametrize(
    ("where", "value", "field"),
    [
        ("header", "yesterday", "Last-Event-ID"),
        ("query", "12", "last_event_id"),
        ("query", "1-2-3", "last_event_id"),
        # Past a 64-bit number, which Redis refuses (it was a 500 from Redis).
        ("query", "58184073863294657064-3", "last_event_id"),
    ],
)
async def test_given_a_malformed_last_event_id_then_422_before_any_stream(
    api: httpx.AsyncClient, where: str, value: str, field: str
) -> None:
    if where == "header":
        response = await api.get(STREAM, headers={"Last-Event-ID": value})
    else:
        response = await api.get(STREAM, params={"last_event_id": value})

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == field


async def test_given_another_organisations_event_then_404_as_for_no_event(
    api: httpx.AsyncClient,
) -> None:
    stranger = await api.get(STREAM, headers=bearer("org_other"))
    nothing = await api.get("/v1/events/evt_none/availability/stream")

    assert stranger.status_code == nothing.status_code == 404
    assert stranger.json()["type"] == nothing.json()["type"]


async def test_given_a_client_that_disconnects_then_it_is_unsubscribed_at_once(
    api: httpx.AsyncClient, container: Container
) -> None:
    before = subscribers()
    async with api.stream("GET", STREAM) as response:
        await anext(messages(response))
        await subscribed(before + 1)

    await eventually(lambda: subscribers() == before)


async def stalled_client(base_url: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A client that asks for the stream with a tiny receive window, then reads nothing."""
    host, port = base_url.removeprefix("http://").split(":")
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    raw.setblocking(False)
    await asyncio.get_running_loop().sock_connect(raw, (host, int(port)))
    reader, writer = await asyncio.open_connection(sock=raw)
    token = bearer()["Authorization"]
    writer.write(
        f"GET {STREAM} HTTP/1.1\r\nHost: {host}\r\nAuthorization: {token}\r\n\r\n".encode()
    )
    await writer.drain()
    return reader, writer


class Bulky(msgspec.Struct):
    padding: str


async def test_given_a_client_that_stops_reading_when_it_falls_behind_then_it_is_dropped(
    container: Container,
) -> None:
    """Its subscription ends and the server ends its response, while a fast client
    beside it keeps receiving every event. (Large events fill the socket buffers quickly;
    the path from a hold to the stream is covered above.)"""
    events = container.seating.events
    assert isinstance(events, InMemoryAvailabilityEvents)
    async with (
        over_http(create_app(container)) as base_url,
        httpx.AsyncClient(base_url=base_url, headers=bearer(), timeout=5) as api,
        api.stream("GET", STREAM) as fast,
    ):
        fast_stream = messages(fast)
        await anext(fast_stream)
        before = subscribers()
        stalled_reader, stalled = await stalled_client(base_url)
        await subscribed(before + 1)

        published = 0
        while subscribers() > before and published < 1_000:
            events.append(EVENT, "seat.held", Bulky("x" * 65_536))
            published += 1
            await asyncio.sleep(0.001)
        got = await next_events(fast_stream, published, timeout_seconds=20)
        async with asyncio.timeout(10):
            while await stalled_reader.read(1 << 20):
                pass  # what was sent before the drop, then the end of the response
        stalled.close()
        still_watching = subscribers()

    assert published < 1_000, "the stalled client was never dropped"
    assert still_watching == before
    assert len(got) == published


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_given_deliveries_and_a_resync_then_the_metrics_count_them(
    api: httpx.AsyncClient,
) -> None:
    delivered = sample("lml_availability_events_delivered_total")
    lags = sample("lml_availability_delivery_lag_seconds_count")
    resyncs = sample("lml_availability_resyncs_total", reason="unknown")
    await hold(api, "A-1")
    await hold(api, "A-2")

    async with api.stream("GET", STREAM, params={"last_event_id": "0-0"}) as response:
        await next_events(messages(response), 2)
    async with api.stream("GET", STREAM, params={"last_event_id": "99-0"}) as response:
        await next_events(messages(response), 1)

    assert sample("lml_availability_events_delivered_total") == delivered + 2
    assert sample("lml_availability_delivery_lag_seconds_count") > lags
    assert sample("lml_availability_resyncs_total", reason="unknown") == resyncs + 1
