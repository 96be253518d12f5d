"""Orders over HTTP on real PostgreSQL and Redis: a hold becomes an order in one transaction,
and of a conversion racing an expiry or another conversion exactly one wins."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import msgspec
import pytest
import redis.asyncio
from litestar import Litestar

from lml_api.app import create_app
from lml_api.container import Container
from lml_api.tokens import build_tokens
from lml_config import Settings
from lml_seating.application import expire_due_holds
from lml_testing.databases import TemporaryDatabase, owner_rows
from lml_testing.seed import seed_event
from lml_testing.served import served

pytestmark = pytest.mark.integration

SCOPES = ["inventory.holds:write", "orders.write", "orders.read"]
SEATS = ["A-1", "A-2", "A-3", "A-4"]
PRICE = 4500


@pytest.fixture
def settings(
    make_settings: Callable[..., Settings], mongo_url: str, redis_key_prefix: str
) -> Settings:
    return make_settings(
        mongo_url=mongo_url,
        redis_key_prefix=redis_key_prefix,
        rate_limit_budgets="*=100000/60s",
        hold_min_ttl_seconds=1,
    )


@pytest.fixture
def tenant() -> str:
    return f"org_{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def event_id(migrated_database: TemporaryDatabase, tenant: str) -> str:
    event = f"evt_{uuid.uuid4().hex[:12]}"
    await seed_event(
        migrated_database.admin_url, tenant, event, SEATS, {"GA": 10}, prices={"standard": PRICE}
    )
    return event


def bearer(settings: Settings, tenant: str, scopes: list[str] = SCOPES) -> dict[str, str]:
    issued = build_tokens(settings).issuer.issue("usr_1", tenant, scopes)
    return {"Authorization": f"Bearer {issued.access_token}"}


async def a_hold(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    event_id: str,
    seats: list[str],
    *,
    ga: int = 0,
    ttl: int | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"event_id": event_id, "seat_ids": seats}
    if ga:
        body["ga"] = [{"zone_id": "GA", "quantity": ga}]
    if ttl is not None:
        body["ttl_seconds"] = ttl
    response = await client.post("/v1/holds", json=body, headers=headers)
    assert response.status_code == 201, response.text
    hold: dict[str, Any] = response.json()
    return hold


def order_body(hold: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    return {
        "hold_id": hold["id"],
        "hold_token": hold["hold_token"] if token is None else token,
        "buyer": {"email": "ada@example.com", "name": "Ada Lovelace"},
    }


def container(app: Litestar) -> Container:
    found: Container = app.state.container
    return found


async def test_a_hold_becomes_a_pending_order_with_its_lines_total_and_audit_entry(
    settings: Settings,
    tenant: str,
    event_id: str,
    migrated_database: TemporaryDatabase,
    redis_url: str,
    redis_key_prefix: str,
) -> None:
    headers = bearer(settings, tenant)
    async with served(create_app(settings=settings)) as client:
        hold = await a_hold(client, headers, event_id, ["A-2", "A-1"], ga=2)

        response = await client.post("/v1/orders", json=order_body(hold), headers=headers)
        assert response.status_code == 201, response.text
        order = response.json()
        read = await client.get(f"/v1/orders/{order['id']}", headers=headers)
        listed = await client.get(
            "/v1/orders", params={"status": "pending", "event_id": event_id}, headers=headers
        )
        paid = await client.get("/v1/orders", params={"status": "paid"}, headers=headers)

    assert response.headers["location"] == f"/v1/orders/{order['id']}"
    assert order["status"] == "pending"
    assert order["lines"] == [
        {"seat_id": "A-1", "price_category": "standard", "amount": PRICE},
        {"seat_id": "A-2", "price_category": "standard", "amount": PRICE},
        {"zone_id": "GA", "price_category": "standard", "amount": PRICE},
        {"zone_id": "GA", "price_category": "standard", "amount": PRICE},
    ]
    assert (order["total"], order["currency"]) == (4 * PRICE, "EUR")
    assert order["expires_at"] > order["created_at"]
    assert read.json() == order
    assert [item["id"] for item in listed.json()["items"]] == [order["id"]]
    assert paid.json() == {"items": [], "next_cursor": None}

    admin = migrated_database.admin_url
    assert await owner_rows(
        admin,
        "select from_status, to_status, actor from lml.order_audit_log where order_id = %s",
        order["id"],
    ) == [(None, "pending", "usr_1")]
    assert await owner_rows(admin, "select status from lml.holds where id = %s", hold["id"]) == [
        ("converted",)
    ]
    assert await owner_rows(
        admin,
        "select seat_id, status, hold_expires_at from lml.event_seats"
        " where event_id = %s and hold_id = %s order by seat_id",
        event_id,
        hold["id"],
    ) == [("A-1", "held", None), ("A-2", "held", None)]
    client_r = redis.asyncio.Redis.from_url(redis_url, decode_responses=True)
    try:
        ttls = [
            await client_r.pttl(f"{redis_key_prefix}:{{{event_id}}}:seat:{seat}")
            for seat in ("A-1", "A-2")
        ]
        queued = await client_r.zscore(f"{redis_key_prefix}:{{{event_id}}}:expiries", hold["id"])
        state = await client_r.hget(f"{redis_key_prefix}:{{{event_id}}}:hold:{hold['id']}", "state")
    finally:
        await client_r.aclose()
    assert ttls == [-1, -1], "the converted hold's locks must no longer lapse"
    assert queued is None
    assert state == "converted"


@pytest.mark.parametrize(
    ("token", "status", "problem"),
    [("wrong-token", 412, "precondition-failed"), ("", 412, "precondition-failed")],
)
async def test_a_wrong_or_missing_token_is_refused_and_the_hold_stays_active(
    settings: Settings,
    tenant: str,
    event_id: str,
    migrated_database: TemporaryDatabase,
    token: str,
    status: int,
    problem: str,
) -> None:
    headers = bearer(settings, tenant)
    async with served(create_app(settings=settings)) as client:
        hold = await a_hold(client, headers, event_id, ["A-1"])
        response = await client.post("/v1/orders", json=order_body(hold, token), headers=headers)

    assert response.status_code == status
    assert response.json()["type"].endswith(problem)
    assert await owner_rows(
        migrated_database.admin_url, "select status from lml.holds where id = %s", hold["id"]
    ) == [("active",)]


async def test_a_released_or_expired_hold_is_409_hold_expired(
    settings: Settings, tenant: str, event_id: str
) -> None:
    headers = bearer(settings, tenant)
    async with served(create_app(settings=settings)) as client:
        released = await a_hold(client, headers, event_id, ["A-1"])
        deleted = await client.delete(
            f"/v1/holds/{released['id']}",
            headers={**headers, "If-Match": f'"{released["hold_token"]}"'},
        )
        assert deleted.status_code == 204, deleted.text
        lapsed = await a_hold(client, headers, event_id, ["A-2"], ttl=1)
        await asyncio.sleep(1.1)  # the hold's own lifetime, not a wait for a result

        answers = [
            await client.post("/v1/orders", json=order_body(hold), headers=headers)
            for hold in (released, lapsed)
        ]

    assert [a.status_code for a in answers] == [409, 409]
    assert all(a.json()["type"].endswith("hold-expired") for a in answers)


async def test_a_hold_makes_at_most_one_order_and_another_organisations_is_not_found(
    settings: Settings, tenant: str, event_id: str
) -> None:
    headers = bearer(settings, tenant)
    async with served(create_app(settings=settings)) as client:
        hold = await a_hold(client, headers, event_id, ["A-1"])
        first = await client.post("/v1/orders", json=order_body(hold), headers=headers)
        second = await client.post("/v1/orders", json=order_body(hold), headers=headers)
        other = await client.post(
            "/v1/orders", json=order_body(hold), headers=bearer(settings, "org_someone_else")
        )
        foreign_read = await client.get(
            f"/v1/orders/{first.json()['id']}", headers=bearer(settings, "org_someone_else")
        )

    assert first.status_code == 201
    assert (second.status_code, second.json()["type"].rsplit("/", 1)[-1]) == (
        409,
        "hold-converted",
    )
    assert other.status_code == 404
    assert foreign_read.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"hold_id": "h", "hold_token": "t"},
        {"hold_id": "h", "hold_token": "t", "buyer": {"email": "not-an-email", "name": "A"}},
        {"hold_id": "h", "hold_token": "t", "buyer": {"email": "a@b.c", "name": ""}},
    ],
)
async def test_a_bad_body_is_422(
    settings: Settings, tenant: str, event_id: str, body: dict[str, Any]
) -> None:
    async with served(create_app(settings=settings)) as client:
        response = await client.post("/v1/orders", json=body, headers=bearer(settings, tenant))

    assert response.status_code == 422, response.text


async def test_the_routes_need_their_scopes(settings: Settings, tenant: str) -> None:
    holds_only = bearer(settings, tenant, ["inventory.holds:write"])
    async with served(create_app(settings=settings)) as client:
        post = await client.post("/v1/orders", json={}, headers=holds_only)
        get = await client.get("/v1/orders", headers=holds_only)

    assert (post.status_code, get.status_code) == (403, 403)


async def test_two_conversions_of_one_hold_at_once_make_exactly_one_order(
    settings: Settings, tenant: str, event_id: str, migrated_database: TemporaryDatabase
) -> None:
    headers = bearer(settings, tenant)
    async with (
        served(create_app(settings=settings)) as first,
        served(create_app(settings=settings)) as second,
    ):
        holds = [await a_hold(first, headers, event_id, [seat]) for seat in SEATS]
        answers = await asyncio.gather(
            *(
                client.post("/v1/orders", json=order_body(hold), headers=headers)
                for hold in holds
                for client in (first, second, first)
            )
        )

    for n, hold in enumerate(holds):
        mine = sorted(a.status_code for a in answers[3 * n : 3 * n + 3])
        assert mine == [201, 409, 409], (hold["id"], mine)
    rows = await owner_rows(
        migrated_database.admin_url,
        "select hold_id from lml.orders where tenant_id = %s",
        tenant,
    )
    assert sorted(r[0] for r in rows) == sorted(h["id"] for h in holds)


async def test_a_conversion_racing_the_expiry_sweeper_never_orders_a_lapsed_hold(
    settings: Settings, tenant: str, event_id: str, migrated_database: TemporaryDatabase
) -> None:
    headers = bearer(settings, tenant)
    app = create_app(settings=settings)
    async with served(app) as client:
        seating = container(app).seating
        holds = [await a_hold(client, headers, event_id, [seat], ttl=1) for seat in SEATS]
        # Orders are sent from just before to just after the holds' expiry while the
        # sweeper runs as fast as it can.
        await asyncio.sleep(0.9)

        async def sweep() -> None:
            for _ in range(40):
                await expire_due_holds(
                    expiries=seating.expiries, inventory=seating.inventory, clock=seating.clock
                )
                await asyncio.sleep(0.01)

        async def order(hold: dict[str, Any], delay: float) -> httpx.Response:
            await asyncio.sleep(delay)
            return await client.post("/v1/orders", json=order_body(hold), headers=headers)

        *answers, _ = await asyncio.gather(
            *(order(hold, 0.05 * n) for n, hold in enumerate(holds)), sweep()
        )
        await expire_due_holds(
            expiries=seating.expiries, inventory=seating.inventory, clock=seating.clock
        )

    # Timed this way, the early orders win and the late ones find their hold swept: both
    # sides of the race are taken (but which wins each is the clocks', so not asserted).
    assert {answer.status_code for answer in answers} <= {201, 409}
    admin = migrated_database.admin_url
    for hold, answer in zip(holds, answers, strict=True):
        [(status, expires_at)] = await owner_rows(
            admin, "select status, expires_at from lml.holds where id = %s", hold["id"]
        )
        ordered = await owner_rows(
            admin, "select created_at from lml.orders where hold_id = %s", hold["id"]
        )
        seat = await owner_rows(
            admin,
            "select hold_id, status from lml.event_seats where event_id = %s and seat_id = %s",
            event_id,
            hold["seat_ids"][0],
        )
        if answer.status_code == 201:
            assert status == "converted"
            assert len(ordered) == 1
            assert ordered[0][0] < expires_at, "an order of a hold that had lapsed"
            assert seat == [(hold["id"], "held")]
        else:
            assert answer.status_code == 409, answer.text
            assert status == "expired"
            assert ordered == []
            assert seat == [(None, "available")]


async def test_a_pending_order_is_canceled_its_seats_freed_and_watchers_told(
    settings: Settings,
    tenant: str,
    event_id: str,
    migrated_database: TemporaryDatabase,
    redis_url: str,
    redis_key_prefix: str,
) -> None:
    headers = bearer(settings, tenant)
    async with served(create_app(settings=settings)) as client:
        hold = await a_hold(client, headers, event_id, ["A-1", "A-2"], ga=3)
        order = (await client.post("/v1/orders", json=order_body(hold), headers=headers)).json()

        canceled = await client.post(f"/v1/orders/{order['id']}/cancel", headers=headers)
        again = await client.post(f"/v1/orders/{order['id']}/cancel", headers=headers)
        foreign = await client.post(
            f"/v1/orders/{order['id']}/cancel", headers=bearer(settings, "org_someone_else")
        )
        # The seats can be held again at once.
        rehold = await a_hold(client, headers, event_id, ["A-1", "A-2"], ga=4)

    assert canceled.status_code == 200, canceled.text
    assert canceled.json()["status"] == "canceled"
    assert (again.status_code, again.json()["order_status"]) == (409, "canceled")
    assert again.json()["type"].endswith("order-status-conflict")
    assert foreign.status_code == 404
    assert rehold["seat_ids"] == ["A-1", "A-2"]
    admin = migrated_database.admin_url
    assert await owner_rows(
        admin, "select held from lml.event_zones where event_id = %s", event_id
    ) == [(4,)], "the canceled order's three places came back"
    assert await owner_rows(
        admin,
        "select from_status, to_status from lml.order_audit_log where order_id = %s order by id",
        order["id"],
    ) == [(None, "pending"), ("pending", "canceled")]
    assert await owner_rows(admin, "select status from lml.holds where id = %s", hold["id"]) == [
        ("released",)
    ]
    client_r = redis.asyncio.Redis.from_url(redis_url, decode_responses=True)
    try:
        entries = await client_r.xrange(f"{redis_key_prefix}:{{{event_id}}}:events")
    finally:
        await client_r.aclose()
    released = [
        msgspec.json.decode(fields["data"])
        for _, fields in entries
        if fields["type"] == "seat.released"
    ]
    assert [(r["hold_id"], r["seat_ids"], r["reason"]) for r in released] == [
        (hold["id"], ["A-1", "A-2"], "order_canceled")
    ]
