"""Use case: Stripe delivers an event. It is verified and kept for the worker, nothing more:
the answer must be fast, and Stripe retries anything but a 2xx."""

from __future__ import annotations

import logging
from typing import Literal

import msgspec

from lml_payments.application.ports import Inbox, Payments, WebhookVerifier
from lml_payments.domain import SignatureRefused, StripeEvent
from lml_result import Err, Ok, Result

log = logging.getLogger("lml.payments")


class Received(msgspec.Struct, frozen=True, kw_only=True):
    """Answered 200 whatever the outcome: Stripe need not deliver it again."""

    event_id: str
    outcome: Literal["stored", "duplicate", "ignored_type", "unknown_tenant"]


async def receive_webhook(
    payload: bytes,
    signature: str | None,
    *,
    verifier: WebhookVerifier,
    inbox: Inbox,
    payments: Payments,
) -> Result[Received, SignatureRefused]:
    verified = verifier.verify(payload, signature)
    if isinstance(verified, Err):
        return verified
    event = verified.value
    if not event.handled:
        log.info("stripe event of a type not handled", extra={"stripe_event_id": event.id})
        return Ok(Received(event_id=event.id, outcome="ignored_type"))
    org_id = await _tenant_of(event, payments)
    if org_id is None:
        # Signed by Stripe but not ours to apply (another system's intent on the account).
        log.warning("stripe event of no known tenant", extra={"stripe_event_id": event.id})
        return Ok(Received(event_id=event.id, outcome="unknown_tenant"))
    stored = await inbox.store(org_id, event)
    return Ok(Received(event_id=event.id, outcome="stored" if stored else "duplicate"))


async def _tenant_of(event: StripeEvent, payments: Payments) -> str | None:
    """The intent's metadata names its tenant; a charge carries none of its own, so its
    intent's payment row says whose it is."""
    if event.tenant_id is not None:
        return event.tenant_id
    intent_id = event.intent_id
    if intent_id is None:
        return None
    owner = await payments.owner_of_intent(intent_id)
    return None if owner is None else owner[0]
