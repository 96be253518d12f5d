"""Payments over HTTP on real PostgreSQL and Redis, with the fake gateway: an order's
payment intent, and Stripe's webhook storing each signed event once."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import msgspec
import pytest

from lml_api.app import create_app
from lml_api.tokens import build_tokens
from lml_config import Settings
from lml_payments.fakes import fake_intent_id, signed_event, stripe_signature
from lml_testing.databases import TemporaryDatabase, owner_rows
from lml_testing.seed import seed_event
from lml_testing.served import served

pytestmark = pytest.mark.integration

SCOPES = ["inventory.holds:write", "orders.write", "orders.read"]
PRICE = 4500
SECRET = "whsec_lml_development"


@pytest.fixture
def settings(
    make_settings: Callable[..., Settings], mongo_url: str, redis_key_prefix: str
) -> Settings:
    return make_settings(
        mongo_url=mongo_url, redis_key_prefix=redis_key_prefix, rate_limit_budgets="*=100000/60s"
    )


@pytest.fixture
def tenant() -> str:
    return f"org_{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def event_id(migrated_database: TemporaryDatabase, tenant: str) -> str:
    event = f"evt_{uuid.uuid4().hex[:12]}"
    await seed_event(
        migrated_database.admin_url, tenant, event, ["A-1", "A-2"], {}, prices={"standard": PRICE}
    )
    return event


def bearer(settings: Settings, tenant: str) -> dict[str, str]:
    issued = build_tokens(settings).issuer.issue("usr_1", tenant, SCOPES)
    return {"Authorization": f"Bearer {issued.access_token}"}


async def an_order(client: httpx.AsyncClient, headers: dict[str, str], event_id: str) -> str:
    held = await client.post(
        "/v1/holds", json={"event_id": event_id, "seat_ids": ["A-1"]}, headers=headers
    )
    assert held.status_code == 201, held.text
    hold = held.json()
    ordered = await client.post(
        "/v1/orders",
        json={
            "hold_id": hold["id"],
            "hold_token": hold["hold_token"],
            "buyer": {"email": "ada@example.com", "name": "Ada"},
        },
        headers=headers,
    )
    assert ordered.status_code == 201, ordered.text
    order_id: str = ordered.json()["id"]
    return order_id


async def an_order_awaiting_payment(
    client: httpx.AsyncClient, headers: dict[str, str], event_id: str
) -> str:
    """An order with its payment intent: what Stripe's events are about."""
    order_id = await an_order(client, headers, event_id)
    intent = await client.post(f"/v1/orders/{order_id}/payment-intent", headers=headers)
    assert intent.status_code in (200, 201), intent.text
    return order_id


async def owner_count(admin_url: str, sql: str, *params: object) -> int:
    [(count,)] = await owner_rows(admin_url, sql, *params)
    return int(count)


async def stored(admin_url: str, event_id: str) -> tuple[int, int]:
    """Rows of the event in the inbox and in the outbox."""
    return (
        await owner_count(
            admin_url, "select count(*) from lml.stripe_events where id = %s", event_id
        ),
        await owner_count(
            admin_url,
            "select count(*) from lml.outbox where payload ->> 'stripe_event_id' = %s",
            event_id,
        ),
    )


def delivery(tenant: str, order_id: str, event_id: str, **kw: Any) -> tuple[bytes, str]:
    return signed_event(
        kw.pop("secret", SECRET),
        kw.pop("type", "payment_intent.succeeded"),
        intent_id=fake_intent_id(order_id),
        org_id=tenant,
        order_id=order_id,
        amount=PRICE,
        currency="EUR",
        event_id=event_id,
        **kw,
    )


async def post_webhook(
    client: httpx.AsyncClient, payload: bytes, signature: str | None
) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["Stripe-Signature"] = signature
    return await client.post("/v1/webhooks/stripe", content=payload, headers=headers)


async def test_given_a_pending_order_when_its_intent_is_asked_twice_then_the_same_intent(
    settings: Settings, tenant: str, event_id: str, migrated_database: TemporaryDatabase
) -> None:
    headers = bearer(settings, tenant)
    async with served(create_app(settings=settings)) as client:
        order_id = await an_order(client, headers, event_id)

        first = await client.post(f"/v1/orders/{order_id}/payment-intent", headers=headers)
        again = await client.post(f"/v1/orders/{order_id}/payment-intent", headers=headers)

    assert (first.status_code, again.status_code) == (201, 201), first.text
    assert first.json() == again.json()
    assert first.json()["payment_intent_id"] == fake_intent_id(order_id)
    assert (first.json()["amount"], first.json()["currency"]) == (PRICE, "EUR")
    assert first.json()["client_secret"].startswith(fake_intent_id(order_id))
    assert (
        await owner_count(
            migrated_database.admin_url,
            "select count(*) from lml.payments where order_id = %s",
            order_id,
        )
        == 1
    )


async def test_given_two_concurrent_intent_requests_then_both_get_one_intent(
    settings: Settings, tenant: str, event_id: str
) -> None:
    headers = bearer(settings, tenant)
    async with served(create_app(settings=settings)) as client:
        order_id = await an_order(client, headers, event_id)

        answers = await asyncio.gather(
            *(
                client.post(f"/v1/orders/{order_id}/payment-intent", headers=headers)
                for _ in range(3)
            )
        )

    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["payment_intent_id"] for a in answers}) == 1


async def test_given_another_organisations_order_when_its_intent_is_asked_then_404(
    settings: Settings, tenant: str, event_id: str
) -> None:
    async with served(create_app(settings=settings)) as client:
        order_id = await an_order(client, bearer(settings, tenant), event_id)

        response = await client.post(
            f"/v1/orders/{order_id}/payment-intent", headers=bearer(settings, "org_other")
        )

    assert response.status_code == 404
    assert response.json()["type"] == "/problems/not-found"


async def test_given_a_canceled_order_when_its_intent_is_asked_then_409_not_payable(
    settings: Settings, tenant: str, event_id: str
) -> None:
    headers = bearer(settings, tenant)
    async with served(create_app(settings=settings)) as client:
        order_id = await an_order(client, headers, event_id)
        canceled = await client.post(f"/v1/orders/{order_id}/cancel", headers=headers)
        assert canceled.status_code == 200, canceled.text

        response = await client.post(f"/v1/orders/{order_id}/payment-intent", headers=headers)

    assert response.status_code == 409
    assert response.json()["type"] == "/problems/order-not-payable"


async def test_given_a_signed_event_delivered_three_times_then_stored_once_and_answered_200(
    settings: Settings, tenant: str, event_id: str, migrated_database: TemporaryDatabase
) -> None:
    headers = bearer(settings, tenant)
    async with served(create_app(settings=settings)) as client:
        order_id = await an_order_awaiting_payment(client, headers, event_id)
        await client.post(f"/v1/orders/{order_id}/payment-intent", headers=headers)
        stripe_event = f"evt_{uuid.uuid4().hex[:12]}"
        payload, signature = delivery(tenant, order_id, stripe_event)

        answers = [await post_webhook(client, payload, signature) for _ in range(3)]

    assert [(a.status_code, a.json()) for a in answers] == [(200, {"received": True})] * 3
    assert await stored(migrated_database.admin_url, stripe_event) == (1, 1)


def tampered(payload: bytes, signature: str) -> tuple[bytes, str]:
    return payload.replace(b"4500", b"4501"), signature


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(tampered, id="tampered body"),
        pytest.param(lambda p, s: (p, None), id="no signature"),
        pytest.param(
            lambda p, s: (p, stripe_signature("whsec_wrong", p, int(time.time()))),
            id="wrong secret",
        ),
        pytest.param(
            lambda p, s: (p, stripe_signature(SECRET, p, int(time.time()) - 301)), id="stale"
        ),
    ],
)
async def test_given_a_badly_signed_delivery_then_400_invalid_signature_and_nothing_stored(
    settings: Settings,
    tenant: str,
    event_id: str,
    migrated_database: TemporaryDatabase,
    spoil: Callable[[bytes, str], tuple[bytes, str | None]],
) -> None:
    headers = bearer(settings, tenant)
    async with served(create_app(settings=settings)) as client:
        order_id = await an_order_awaiting_payment(client, headers, event_id)
        stripe_event = f"evt_{uuid.uuid4().hex[:12]}"
        payload, signature = spoil(*delivery(tenant, order_id, stripe_event))

        response = await post_webhook(client, payload, signature)

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == "/problems/invalid-signature"
    assert await stored(migrated_database.admin_url, stripe_event) == (0, 0)


async def test_given_a_webhook_with_an_idempotency_key_then_it_is_not_replayed(
    settings: Settings, tenant: str, event_id: str, migrated_database: TemporaryDatabase
) -> None:
    headers = bearer(settings, tenant)
    async with served(create_app(settings=settings)) as client:
        order_id = await an_order_awaiting_payment(client, headers, event_id)
        first, second = (f"evt_{uuid.uuid4().hex[:12]}" for _ in range(2))
        for stripe_event in (first, second):
            payload, signature = delivery(tenant, order_id, stripe_event)
            response = await client.post(
                "/v1/webhooks/stripe",
                content=payload,
                headers={"Stripe-Signature": signature, "Idempotency-Key": "same"},
            )
            assert response.status_code == 200
            assert "idempotent-replayed" not in response.headers

    assert await stored(migrated_database.admin_url, first) == (1, 1)
    assert await stored(migrated_database.admin_url, second) == (1, 1)


async def test_given_the_fake_gateway_when_a_payment_is_told_to_succeed_then_its_event_is_stored(
    settings: Settings, tenant: str, event_id: str, migrated_database: TemporaryDatabase
) -> None:
    headers = bearer(settings, tenant)
    async with served(create_app(settings=settings)) as client:
        order_id = await an_order(client, headers, event_id)
        await client.post(f"/v1/orders/{order_id}/payment-intent", headers=headers)

        response = await client.post(f"/v1/dev/payments/{order_id}/succeeded", headers=headers)
        refunded = await client.post(f"/v1/dev/payments/{order_id}/refunded", headers=headers)
        unpaid = await client.post("/v1/dev/payments/ord_none/failed", headers=headers)

    assert response.status_code == 202, response.text
    body = response.json()
    assert (body["type"], body["outcome"]) == ("payment_intent.succeeded", "stored")
    assert await stored(migrated_database.admin_url, body["stripe_event_id"]) == (1, 1)
    assert refunded.json()["outcome"] == "stored"  # a charge: its tenant found by its intent
    assert unpaid.status_code == 404


async def test_given_a_stripe_key_then_the_development_route_does_not_exist(
    settings: Settings, tenant: str
) -> None:
    with_key = msgspec.structs.replace(settings, stripe_secret_key="sk_test_example")
    async with served(create_app(settings=with_key)) as client:
        response = await client.post(
            "/v1/dev/payments/ord_1/succeeded", headers=bearer(settings, tenant)
        )

    assert response.status_code in (404, 405)


async def test_given_default_budgets_then_the_webhook_spends_its_own_per_address_budget(
    settings: Settings, tenant: str, event_id: str
) -> None:
    defaults = msgspec.structs.replace(settings, rate_limit_budgets=None)
    async with served(create_app(settings=defaults)) as client:
        order_id = await an_order_awaiting_payment(client, bearer(settings, tenant), event_id)
        response = await post_webhook(client, *delivery(tenant, order_id, "evt_budget"))

    assert response.status_code == 200
    assert response.headers["ratelimit-policy"].startswith('"POST /v1/webhooks/stripe";q=600;w=1')


async def test_given_a_body_over_the_limit_then_413_and_nothing_stored(
    settings: Settings, tenant: str, migrated_database: TemporaryDatabase
) -> None:
    small = msgspec.structs.replace(settings, max_body_bytes=512)
    payload, signature = delivery(tenant, "ord_big", "evt_big", at=None)
    padded = payload[:-1] + b',"pad":"' + b"x" * 1024 + b'"}'
    async with served(create_app(settings=small)) as client:
        response = await post_webhook(client, padded, signature)

    assert response.status_code == 413
    assert await stored(migrated_database.admin_url, "evt_big") == (0, 0)
