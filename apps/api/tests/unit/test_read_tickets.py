"""Read tickets: a browser reads one event's availability without an access token in a
URL, and nothing else with it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from lml_api.app import create_app
from lml_api.container import Container
from lml_api.fakes import in_memory_container
from lml_api.tokens import build_tokens
from lml_config import load_settings
from lml_metrics import REGISTRY
from lml_seating.fakes import InMemoryInventory
from lml_testing.served import over_http
from lml_testing.sse import messages

PAGE = "https://tickets.example.com"
SETTINGS = load_settings(
    {
        "LML_AVAILABILITY_TICKET_SECONDS": "1",
        "LML_AVAILABILITY_CORS_ORIGINS": f"{PAGE}, https://b.test",
    }
)
ORG = "org_tickets"
EVENT = "evt_a"
OTHER_EVENT = "evt_b"


def bearer(org: str = ORG, scopes: tuple[str, ...] = ("inventory.read",)) -> dict[str, str]:
    token = build_tokens(SETTINGS).issuer.issue("usr_1", org, list(scopes)).access_token
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def container() -> Container:
    container = in_memory_container(SETTINGS)
    inventory = container.seating.inventory
    assert isinstance(inventory, InMemoryInventory)
    for event in (EVENT, OTHER_EVENT):
        inventory.add_event(ORG, event, seats=["A-1", "A-2"], zones={"GA": 5})
    return container


@pytest.fixture
async def client(container: Container) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(create_app(container)) as test_client:
        yield test_client


async def ticket_for(client: AsyncTestClient[Litestar], event: str = EVENT) -> str:
    response = await client.post(f"/v1/events/{event}/availability/tickets", headers=bearer())
    assert response.status_code == 201, response.text
    ticket: str = response.json()["ticket"]
    return ticket


async def test_given_a_ticket_then_the_snapshot_reads_without_a_bearer_token(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.post(f"/v1/events/{EVENT}/availability/tickets", headers=bearer())

    assert response.status_code == 201
    body = response.json()
    assert len(body["ticket"]) >= 43
    assert body["expires_at"].endswith("Z") or "+00:00" in body["expires_at"]
    snapshot = await client.get(
        f"/v1/events/{EVENT}/availability", params={"ticket": body["ticket"]}
    )
    assert snapshot.status_code == 200
    assert snapshot.json()["event_id"] == EVENT


async def test_given_a_ticket_then_the_stream_reads_without_a_bearer_token(
    container: Container,
) -> None:
    async with (
        over_http(create_app(container)) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=5) as browser,
    ):
        issued = await browser.post(f"/v1/events/{EVENT}/availability/tickets", headers=bearer())
        ticket = issued.json()["ticket"]
        url = f"/v1/events/{EVENT}/availability/stream"
        async with browser.stream("GET", url, params={"ticket": ticket}) as response:
            assert response.status_code == 200
            first = await anext(messages(response))

    assert first.retry is not None


async def test_given_a_ticket_for_one_event_then_another_event_refuses_it(
    client: AsyncTestClient[Litestar],
) -> None:
    ticket = await ticket_for(client, EVENT)

    response = await client.get(f"/v1/events/{OTHER_EVENT}/availability", params={"ticket": ticket})

    assert response.status_code == 401
    assert response.json()["type"].endswith("/unauthenticated")


async def test_given_a_ticket_then_no_other_route_takes_it(
    client: AsyncTestClient[Litestar],
) -> None:
    ticket = await ticket_for(client)

    event = await client.get(f"/v1/events/{EVENT}", params={"ticket": ticket})
    hold = await client.post(
        "/v1/holds", params={"ticket": ticket}, json={"event_id": EVENT, "seat_ids": ["A-1"]}
    )
    another = await client.post(
        f"/v1/events/{EVENT}/availability/tickets", params={"ticket": ticket}
    )

    assert event.status_code == hold.status_code == another.status_code == 401


async def test_given_an_expired_ticket_then_it_is_refused(
    client: AsyncTestClient[Litestar],
) -> None:
    ticket = await ticket_for(client)
    await asyncio.sleep(SETTINGS.availability_ticket_seconds + 0.1)

    response = await client.get(f"/v1/events/{EVENT}/availability", params={"ticket": ticket})

    assert response.status_code == 401


async def test_given_an_access_token_in_the_url_then_it_is_not_a_ticket(
    client: AsyncTestClient[Litestar],
) -> None:
    token = bearer()["Authorization"].removeprefix("Bearer ")

    response = await client.get(f"/v1/events/{EVENT}/availability", params={"ticket": token})

    assert response.status_code == 401


async def test_given_another_organisations_event_then_no_ticket_is_issued(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.post(
        f"/v1/events/{EVENT}/availability/tickets", headers=bearer("org_other")
    )

    assert response.status_code == 404


async def test_given_an_allowed_page_origin_then_the_availability_routes_answer_with_cors(
    client: AsyncTestClient[Litestar],
) -> None:
    ticket = await ticket_for(client)
    url = f"/v1/events/{EVENT}/availability"

    allowed = await client.get(url, params={"ticket": ticket}, headers={"Origin": PAGE})
    stranger = await client.get(
        url, params={"ticket": ticket}, headers={"Origin": "https://evil.test"}
    )
    elsewhere = await client.get(f"/v1/events/{EVENT}", headers={**bearer(), "Origin": PAGE})

    assert allowed.headers["access-control-allow-origin"] == PAGE
    assert "origin" in allowed.headers["vary"].lower()
    assert "access-control-allow-origin" not in stranger.headers
    assert "access-control-allow-origin" not in elsewhere.headers


async def test_given_an_allowed_page_origin_then_a_refusal_is_readable_by_the_page(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get(
        f"/v1/events/{EVENT}/availability", params={"ticket": "nope"}, headers={"Origin": PAGE}
    )

    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == PAGE


async def test_given_tickets_issued_and_refused_then_the_metrics_count_both(
    client: AsyncTestClient[Litestar],
) -> None:
    def count(outcome: str) -> float:
        labels = {"outcome": outcome}
        return REGISTRY.get_sample_value("lml_availability_read_tickets_total", labels) or 0.0

    issued, refused = count("issued"), count("refused")

    await ticket_for(client)
    await client.get(f"/v1/events/{EVENT}/availability", params={"ticket": "nope"})

    assert (count("issued"), count("refused")) == (issued + 1, refused + 1)
