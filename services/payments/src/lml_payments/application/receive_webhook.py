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
    """Whose event it is: the organisation of our payment of its intent. The intent's
    metadata must name that organisation and order too (a charge carries no metadata of
    its own and is known by its intent alone), so an event of an intent we never made, or
    one whose metadata disagrees with our payment, is nobody's (and no unknown organisation
    ever reaches the inbox)."""
    intent_id = event.intent_id
    owner = None if intent_id is None else await payments.owner_of_intent(intent_id)
    if owner is None:
        return None
    org_id, order_id = owner
    if event.tenant_id not in (None, org_id) or event.order_id not in (None, order_id):
        return None
    return org_id
