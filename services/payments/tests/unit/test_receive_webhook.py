"""Receiving Stripe's webhook: signed events of ours kept once, everything else answered."""

from __future__ import annotations

import time

import pytest

from lml_payments.application import Received, receive_webhook
from lml_payments.domain import Payment, SignatureRefused
from lml_payments.fakes import InMemoryInbox, InMemoryPayments, signed_event, stripe_signature
from lml_payments.infrastructure import StripeWebhookVerifier
from lml_result import Err, Ok

SECRET = "whsec_test"
ORG = "org_1"


def event(type: str = "payment_intent.succeeded", **kw: object) -> tuple[bytes, str]:
    fields: dict[str, object] = {
        "intent_id": "pi_1",
        "org_id": ORG,
        "order_id": "ord_1",
        "amount": 4500,
        "currency": "EUR",
        **kw,
    }
    return signed_event(SECRET, type, **fields)  # type: ignore[arg-type]


async def receive(payload: bytes, signature: str | None, inbox: InMemoryInbox) -> object:
    return await receive_webhook(
        payload,
        signature,
        verifier=StripeWebhookVerifier(SECRET),
        inbox=inbox,
    )


async def paid_for(payments: InMemoryPayments) -> InMemoryPayments:
    """Our payment of ``pi_1``, order ``ord_1`` of ``org_1``: what the events are about."""
    await payments.add(
        Payment(org_id=ORG, order_id="ord_1", intent_id="pi_1", amount=4500, currency="EUR")
    )
    return payments


async def test_given_a_signed_event_when_received_twice_then_it_is_kept_and_due_once() -> None:
    inbox = InMemoryInbox(await paid_for(InMemoryPayments()))
    payload, signature = event(event_id="evt_1")

    first = await receive(payload, signature, inbox)
    second = await receive(payload, signature, inbox)

    assert first == Ok(Received(event_id="evt_1", outcome="stored"))
    assert second == Ok(Received(event_id="evt_1", outcome="duplicate"))
    assert inbox.due == [
        (ORG, "stripe.event", {"stripe_event_id": "evt_1", "type": "payment_intent.succeeded"})
    ]


async def test_given_a_tampered_body_then_the_signature_is_refused_and_nothing_kept() -> None:
    inbox = InMemoryInbox(InMemoryPayments())
    payload, signature = event()

    received = await receive(payload.replace(b"4500", b"1"), signature, inbox)

    assert isinstance(received, Err)
    assert isinstance(received.error, SignatureRefused)
    assert inbox.events == {}


async def test_given_no_or_a_stale_signature_then_it_is_refused() -> None:
    inbox = InMemoryInbox(InMemoryPayments())
    payload, _ = event()
    stale = stripe_signature(SECRET, payload, int(time.time()) - 301)

    assert isinstance(await receive(payload, None, inbox), Err)
    assert isinstance(await receive(payload, stale, inbox), Err)
    assert inbox.events == {}


async def test_given_a_charge_without_metadata_then_its_tenant_is_its_intents_payment() -> None:
    inbox = InMemoryInbox(await paid_for(InMemoryPayments()))
    payload, signature = event("charge.refunded", event_id="evt_2")

    assert await receive(payload, signature, inbox) == Ok(
        Received(event_id="evt_2", outcome="stored")
    )
    assert inbox.events["evt_2"][0] == ORG


async def test_given_a_charge_of_an_unknown_intent_then_it_is_answered_and_not_kept() -> None:
    inbox = InMemoryInbox(InMemoryPayments())
    payload, signature = event("charge.refunded", event_id="evt_3")

    assert await receive(payload, signature, inbox) == Ok(
        Received(event_id="evt_3", outcome="unknown_tenant")
    )
    assert inbox.events == {}


@pytest.mark.parametrize(
    "metadata",
    [{"intent_id": "pi_never_made"}, {"org_id": "org_other"}, {"order_id": "ord_other"}],
)
async def test_given_an_intent_we_did_not_make_or_metadata_that_disagrees_then_nothing_is_kept(
    metadata: dict[str, str],
) -> None:
    """An organisation or order named in the metadata is believed only where our payment of
    that intent says the same: nothing else reaches the inbox (nor an unknown tenant)."""
    inbox = InMemoryInbox(await paid_for(InMemoryPayments()))
    payload, signature = event(event_id="evt_5", **metadata)

    assert await receive(payload, signature, inbox) == Ok(
        Received(event_id="evt_5", outcome="unknown_tenant")
    )
    assert inbox.events == {}


async def test_given_a_type_not_handled_then_it_is_answered_and_not_kept() -> None:
    inbox = InMemoryInbox(InMemoryPayments())
    payload, signature = event("payment_intent.created", event_id="evt_4")

    assert await receive(payload, signature, inbox) == Ok(
        Received(event_id="evt_4", outcome="ignored_type")
    )
    assert inbox.events == {}


async def test_given_a_body_that_is_not_utf8_then_the_signature_is_refused() -> None:
    inbox = InMemoryInbox(InMemoryPayments())
    body = b"\xff\xfe"

    received = await receive(body, stripe_signature(SECRET, body, int(time.time())), inbox)

    assert isinstance(received, Err)
    assert inbox.events == {}
