"""The availability snapshot over HTTP on in-memory adapters: stream id, strong ETag,
304 on revalidation, gzip."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from lml_api.app import create_app
from lml_api.fakes import in_memory_container, in_memory_seating
from lml_api.tokens import build_tokens
from lml_config import load_settings
from lml_seating.fakes import InMemoryInventory, ManualClock

SETTINGS = load_settings({})
ORG = "org_snap"
EVENT = "evt_1"
URL = f"/v1/events/{EVENT}/availability"
WRITE = "inventory.holds:write"
READ = "inventory.read"


def bearer(org: str = ORG) -> dict[str, str]:
    token = build_tokens(SETTINGS).issuer.issue("usr_1", org, [WRITE, READ]).access_token
    return {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime.now(UTC))


@pytest.fixture
async def client(clock: ManualClock) -> AsyncIterator[AsyncTestClient[Litestar]]:
    container = in_memory_container(SETTINGS)
    container.seating = in_memory_seating(SETTINGS, clock)
    assert isinstance(container.seating.inventory, InMemoryInventory)
    inventory = container.seating.inventory
    inventory.add_event(
        ORG,
        EVENT,
        seats=["A-1", "A-2", "A-3"],
        zones={"GA": 3},
        sales_channels=["web"],
        seat_channels={"A-3": "web"},
    )
    async with AsyncTestClient(create_app(container)) as test_client:
        yield test_client


async def read(client: AsyncTestClient[Litestar], **headers: str) -> httpx.Response:
    return await client.get(URL, headers={**bearer(), **headers})


async def hold(client: AsyncTestClient[Litestar], **body: object) -> dict[str, str]:
    response = await client.post(
        "/v1/holds", json={"event_id": EVENT, "ttl_seconds": 60, **body}, headers=bearer()
    )
    assert response.status_code == 201, response.text
    created: dict[str, str] = response.json()
    return created


async def test_the_snapshot_carries_its_stream_id_a_strong_tag_and_no_cache(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await read(client)

    assert response.status_code == 200
    assert response.json()["stream_id"] == "0-0"
    assert response.headers["Availability-Stream-Id"] == "0-0"
    tag = response.headers["ETag"]
    assert len(tag) > 2
    assert tag[0] == tag[-1] == '"'  # strong: no W/ prefix
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Vary"] == "Accept-Encoding"
    assert "content-encoding" not in response.headers


async def test_given_nothing_changed_then_the_tag_is_the_same_and_revalidation_is_304(
    client: AsyncTestClient[Litestar],
) -> None:
    first = await read(client)
    second = await read(client)
    assert first.headers["ETag"] == second.headers["ETag"]

    again = await read(client, **{"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Availability-Stream-Id"] == "0-0"
    assert again.headers["Cache-Control"] == "no-cache"


async def test_a_weak_twin_a_list_or_a_star_match_and_a_malformed_header_does_not(
    client: AsyncTestClient[Litestar],
) -> None:
    tag = (await read(client)).headers["ETag"]

    for header in (f"W/{tag}", f'"other", {tag}', "*"):
        assert (await read(client, **{"If-None-Match": header})).status_code == 304, header
    for header in (tag[1:-1], '"unterminated', f"{tag},,junk", '"other"'):
        response = await read(client, **{"If-None-Match": header})
        assert response.status_code == 200, header
        assert response.headers["ETag"] == tag


async def test_every_kind_of_change_moves_the_tag_and_the_stream_id(
    client: AsyncTestClient[Litestar], clock: ManualClock
) -> None:
    tags = [(await read(client)).headers["ETag"]]
    created = await hold(client, seat_ids=["A-1"], ga=[{"zone_id": "GA", "quantity": 1}])
    tags.append((await read(client)).headers["ETag"])
    token = {"If-Match": f'"{created["hold_token"]}"'}
    patched = await client.patch(
        f"/v1/holds/{created['id']}", json={"ttl_seconds": 90}, headers={**bearer(), **token}
    )
    assert patched.status_code == 200, patched.text
    tags.append((await read(client)).headers["ETag"])
    released = await client.delete(f"/v1/holds/{created['id']}", headers={**bearer(), **token})
    assert released.status_code == 204, released.text
    tags.append((await read(client)).headers["ETag"])

    assert len(set(tags)) == len(tags)
    stale = await read(client, **{"If-None-Match": tags[0]})
    assert stale.status_code == 200
    assert stale.json()["stream_id"] == stale.headers["Availability-Stream-Id"] != "0-0"


async def test_a_configuration_change_moves_the_tag(
    client: AsyncTestClient[Litestar],
) -> None:
    before = await read(client)
    container_inventory = client.app.state.container.seating.inventory
    container_inventory.configure_seat(EVENT, "A-2", status="blocked")

    after = await read(client, **{"If-None-Match": before.headers["ETag"]})

    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.headers["Availability-Stream-Id"] == before.headers["Availability-Stream-Id"]
    assert {seat["id"]: seat["status"] for seat in after.json()["seats"]}["A-2"] == "blocked"


async def test_each_sales_channel_has_its_own_tag(client: AsyncTestClient[Litestar]) -> None:
    everyone = await read(client)
    web = await client.get(URL, params={"sales_channel_id": "web"}, headers=bearer())

    assert web.headers["ETag"] != everyone.headers["ETag"]
    revalidated = await client.get(
        URL,
        params={"sales_channel_id": "web"},
        headers={**bearer(), "If-None-Match": everyone.headers["ETag"]},
    )
    assert revalidated.status_code == 200
    assert {seat["id"]: seat["status"] for seat in web.json()["seats"]}["A-3"] == "available"
    assert {seat["id"]: seat["status"] for seat in everyone.json()["seats"]}["A-3"] == "blocked"


async def test_given_gzip_is_accepted_then_the_body_is_gzip_with_its_own_tag(
    client: AsyncTestClient[Litestar],
) -> None:
    plain = await read(client)

    zipped = await client.get(URL, headers={**bearer(), "Accept-Encoding": "gzip, br;q=0.5"})

    assert zipped.status_code == 200
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.headers["ETag"] == plain.headers["ETag"][:-1] + '-gzip"'
    assert zipped.headers["Vary"] == "Accept-Encoding"
    # httpx decodes the gzip body.
    assert zipped.json() == plain.json()
    revalidated = await client.get(
        URL,
        headers={**bearer(), "Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]},
    )
    assert revalidated.status_code == 304
    refused = await client.get(URL, headers={**bearer(), "Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers


async def test_unknown_or_foreign_events_are_404_with_or_without_a_tag(
    client: AsyncTestClient[Litestar],
) -> None:
    tag = (await read(client)).headers["ETag"]
    for headers in ({}, {"If-None-Match": tag}, {"If-None-Match": "*"}):
        unknown = await client.get("/v1/events/evt_x/availability", headers={**bearer(), **headers})
        foreign = await client.get(URL, headers={**bearer(org="org_other"), **headers})
        assert unknown.status_code == foreign.status_code == 404
        assert foreign.headers["content-type"].startswith("application/problem+json")


async def test_the_openapi_document_describes_the_headers_and_the_304(
    client: AsyncTestClient[Litestar],
) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    operation = document["paths"]["/v1/events/{event_id}/availability"]["get"]

    assert {"ETag", "Cache-Control", "Availability-Stream-Id"} <= set(
        operation["responses"]["200"]["headers"]
    )
    assert "304" in operation["responses"]
    assert any(parameter["name"] == "If-None-Match" for parameter in operation["parameters"])
