"""The holds and availability routes over HTTP, on in-memory adapters."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from lml_api.app import create_app
from lml_api.fakes import in_memory_container, in_memory_seating
from lml_api.tokens import build_tokens
from lml_config import load_settings
from lml_seating.fakes import InMemoryInventory, ManualClock

SETTINGS = load_settings({"LML_HOLD_MAX_LIFETIME_SECONDS": "1200"})
ORG = "org_holds"
EVENT = "evt_1"
WRITE = "inventory.holds:write"
READ = "inventory.read"


def bearer(org: str = ORG, scopes: tuple[str, ...] = (WRITE, READ)) -> dict[str, str]:
    token = build_tokens(SETTINGS).issuer.issue("usr_1", org, list(scopes)).access_token
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime.now(UTC))


@pytest.fixture
async def client(clock: ManualClock) -> AsyncIterator[AsyncTestClient[Litestar]]:
    container = in_memory_container(SETTINGS)
    container.seating = in_memory_seating(SETTINGS, clock)
    inventory = container.seating.inventory
    assert isinstance(inventory, InMemoryInventory)
    inventory.add_event(
        ORG,
        EVENT,
        seats=["A-1", "A-2", "A-3", "A-4"],
        zones={"GA": 3},
        max_seats_per_hold=4,
        sales_channels=["web"],
        statuses={"A-4": "sold"},
    )
    async with AsyncTestClient(create_app(container)) as test_client:
        yield test_client


async def hold(client: AsyncTestClient[Litestar], **body: Any) -> Any:
    return await client.post("/v1/holds", json={"event_id": EVENT, **body}, headers=bearer())


async def held(client: AsyncTestClient[Litestar], **body: Any) -> dict[str, Any]:
    response = await hold(client, **body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def if_match(token: str) -> dict[str, str]:
    return {**bearer(), "If-Match": f'"{token}"'}


async def test_when_holding_free_seats_then_201_names_the_hold_its_token_and_location(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await hold(
        client, seat_ids=["A-2", "A-1"], ga=[{"zone_id": "GA", "quantity": 2}], ttl_seconds=120
    )

    assert response.status_code == 201
    body = response.json()
    assert body["seat_ids"] == ["A-1", "A-2"]
    assert body["ga"] == [{"zone_id": "GA", "quantity": 2}]
    assert body["status"] == "active"
    assert body["sales_channel_id"] is None
    assert body["expires_at"].endswith("Z")
    assert response.headers["Location"] == f"/v1/holds/{body['id']}"
    assert response.headers["ETag"] == f'"{body["hold_token"]}"'


async def test_given_a_hold_when_read_then_its_token_is_not_shown(
    client: AsyncTestClient[Litestar],
) -> None:
    created = await held(client, seat_ids=["A-1"])

    response = await client.get(f"/v1/holds/{created['id']}", headers=bearer())

    assert response.status_code == 200
    body = response.json()
    assert "hold_token" not in body
    assert body == {key: value for key, value in created.items() if key != "hold_token"}


async def test_given_taken_and_sold_seats_when_holding_then_409_names_every_conflict(
    client: AsyncTestClient[Litestar],
) -> None:
    await held(client, seat_ids=["A-1"], ga=[{"zone_id": "GA", "quantity": 3}])

    response = await hold(
        client, seat_ids=["A-1", "A-2", "A-4"], ga=[{"zone_id": "GA", "quantity": 1}]
    )

    assert response.status_code == 409
    problem = response.json()
    assert problem["type"] == "/problems/seat-conflict"
    assert problem["conflicting_seats"] == ["A-1", "A-4"]
    assert problem["conflicting_zones"] == ["GA"]


@pytest.mark.parametrize(
    ("body", "status", "slug"),
    [
        ({"seat_ids": ["Z-9"]}, 422, "validation-error"),
        ({"ga": [{"zone_id": "BALCONY", "quantity": 1}]}, 422, "validation-error"),
        ({"seat_ids": ["A-1"], "sales_channel_id": "phone"}, 422, "validation-error"),
        ({"seat_ids": ["A-1"], "ttl_seconds": 5}, 422, "validation-error"),
        ({"seat_ids": ["A-1", "A-1"]}, 422, "validation-error"),
        ({"seat_ids": []}, 422, "validation-error"),
        (
            {"seat_ids": ["A-1", "A-2", "A-3"], "ga": [{"zone_id": "GA", "quantity": 2}]},
            422,
            "hold-limit-exceeded",
        ),
        ({"event_id": "evt_other", "seat_ids": ["A-1"]}, 404, "not-found"),
        ({"seat_ids": ["A-1"], "colour": "red"}, 422, "validation-error"),
    ],
)
async def test_given_a_request_the_event_cannot_serve_then_it_is_refused_and_nothing_is_held(
    client: AsyncTestClient[Litestar], body: dict[str, Any], status: int, slug: str
) -> None:
    response = await hold(client, **body)

    assert response.status_code == status, response.text
    assert response.json()["type"] == f"/problems/{slug}"
    assert (await hold(client, seat_ids=["A-1", "A-2", "A-3"])).status_code == 201


async def test_given_an_invalid_ttl_then_the_error_names_the_field(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await hold(client, seat_ids=["A-1"], ttl_seconds=5000)

    assert response.json()["errors"] == [
        {"field": "ttl_seconds", "message": "must be between 30 and 900 seconds"}
    ]


async def test_given_a_hold_when_extended_with_if_match_then_it_expires_later(
    client: AsyncTestClient[Litestar],
) -> None:
    created = await held(client, seat_ids=["A-1"], ttl_seconds=60)

    response = await client.patch(
        f"/v1/holds/{created['id']}",
        json={"ttl_seconds": 600},
        headers=if_match(created["hold_token"]),
    )

    assert response.status_code == 200
    assert response.json()["expires_at"] > created["expires_at"]
    assert response.headers["ETag"] == f'"{created["hold_token"]}"'


async def test_given_a_hold_when_extended_with_the_token_in_the_body_then_it_works(
    client: AsyncTestClient[Litestar],
) -> None:
    created = await held(client, seat_ids=["A-1"])

    response = await client.patch(
        f"/v1/holds/{created['id']}",
        json={"ttl_seconds": 60, "hold_token": created["hold_token"]},
        headers=bearer(),
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers_and_body",
    [
        ({}, {}),
        ({"If-Match": '"not-the-token"'}, {}),
        ({}, {"hold_token": "not-the-token"}),
    ],
)
async def test_given_a_missing_or_wrong_token_then_412_and_the_hold_is_unchanged(
    client: AsyncTestClient[Litestar], headers_and_body: tuple[dict[str, str], dict[str, str]]
) -> None:
    headers, token = headers_and_body
    created = await held(client, seat_ids=["A-1"])
    url = f"/v1/holds/{created['id']}"

    extended = await client.patch(
        url, json={"ttl_seconds": 600, **token}, headers={**bearer(), **headers}
    )
    released = await client.delete(url, params=token, headers={**bearer(), **headers})

    assert (extended.status_code, released.status_code) == (412, 412)
    assert extended.json()["type"] == "/problems/precondition-failed"
    current = (await client.get(url, headers=bearer())).json()
    assert current["expires_at"] == created["expires_at"]
    assert current["status"] == "active"


async def test_given_if_match_and_a_body_token_that_differ_then_412(
    client: AsyncTestClient[Litestar],
) -> None:
    created = await held(client, seat_ids=["A-1"])

    response = await client.patch(
        f"/v1/holds/{created['id']}",
        json={"hold_token": "other"},
        headers=if_match(created["hold_token"]),
    )

    assert response.status_code == 412


async def test_given_a_hold_when_extended_past_its_lifetime_then_422_hold_limit_exceeded(
    client: AsyncTestClient[Litestar], clock: ManualClock
) -> None:
    created = await held(client, seat_ids=["A-1"], ttl_seconds=900)
    clock.advance(800)

    response = await client.patch(
        f"/v1/holds/{created['id']}",
        json={"ttl_seconds": 900},
        headers=if_match(created["hold_token"]),
    )

    assert response.status_code == 422
    assert response.json()["type"] == "/problems/hold-limit-exceeded"
    assert response.json()["max_expires_at"] == created["max_expires_at"]


async def test_given_an_expired_hold_then_it_reads_expired_and_its_token_gets_412(
    client: AsyncTestClient[Litestar], clock: ManualClock
) -> None:
    created = await held(client, seat_ids=["A-1"], ttl_seconds=30)
    clock.advance(31)
    url = f"/v1/holds/{created['id']}"

    assert (await client.get(url, headers=bearer())).json()["status"] == "expired"
    assert (await client.delete(url, headers=if_match(created["hold_token"]))).status_code == 412
    assert (await hold(client, seat_ids=["A-1"])).status_code == 201


async def test_given_a_hold_when_released_then_204_and_its_seats_can_be_held_again(
    client: AsyncTestClient[Litestar],
) -> None:
    created = await held(client, seat_ids=["A-1", "A-2"])
    url = f"/v1/holds/{created['id']}"

    response = await client.delete(url, headers=if_match(created["hold_token"]))

    assert response.status_code == 204
    assert (await client.get(url, headers=bearer())).json()["status"] == "released"
    assert (await client.delete(url, headers=if_match(created["hold_token"]))).status_code == 412
    assert (await hold(client, seat_ids=["A-1", "A-2"])).status_code == 201


async def test_given_a_hold_when_released_with_the_token_in_the_query_then_204(
    client: AsyncTestClient[Litestar],
) -> None:
    created = await held(client, seat_ids=["A-1"])

    response = await client.delete(
        f"/v1/holds/{created['id']}", params={"hold_token": created["hold_token"]}, headers=bearer()
    )

    assert response.status_code == 204


async def test_given_another_organisations_hold_then_it_is_not_found(
    client: AsyncTestClient[Litestar],
) -> None:
    created = await held(client, seat_ids=["A-1"])
    url = f"/v1/holds/{created['id']}"
    stranger = {**bearer(org="org_other"), "If-Match": f'"{created["hold_token"]}"'}

    assert (await client.get(url, headers=stranger)).status_code == 404
    assert (await client.delete(url, headers=stranger)).status_code == 404
    assert (await hold(client, seat_ids=["A-1"])).status_code == 409


async def test_given_holds_when_reading_availability_then_every_seat_and_zone_is_counted(
    client: AsyncTestClient[Litestar],
) -> None:
    await held(client, seat_ids=["A-1"], ga=[{"zone_id": "GA", "quantity": 2}])

    response = await client.get(f"/v1/events/{EVENT}/availability", headers=bearer(scopes=(READ,)))

    assert response.status_code == 200
    assert response.json() == {
        "event_id": EVENT,
        "stream_id": "0-2",
        "seats": [
            {"id": "A-1", "status": "held", "price_category": "standard"},
            {"id": "A-2", "status": "available", "price_category": "standard"},
            {"id": "A-3", "status": "available", "price_category": "standard"},
            {"id": "A-4", "status": "sold", "price_category": "standard"},
        ],
        "zones": [{"id": "GA", "capacity": 3, "available": 1, "held": 2, "sold": 0}],
        "counts": {"available": 3, "held": 3, "sold": 1, "blocked": 0},
    }


async def test_given_an_unknown_event_or_channel_then_availability_says_so(
    client: AsyncTestClient[Litestar],
) -> None:
    headers = bearer(scopes=(READ,))

    assert (await client.get("/v1/events/evt_x/availability", headers=headers)).status_code == 404
    response = await client.get(
        f"/v1/events/{EVENT}/availability", params={"sales_channel_id": "tv"}, headers=headers
    )
    assert response.status_code == 422
