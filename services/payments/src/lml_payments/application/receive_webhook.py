"""Use case: Stripe delivers an event. It is verified and kept for the worker, nothing more:
the answer must be fast, and Stripe retries anything but a 2xx."""

from __future__ import annotations

import logging
from typing import Literal

import msgspec

from lml_payments.application.ports import Inbox, WebhookVerifier
from lml_payments.domain import SignatureRefused
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
) -> Result[Received, SignatureRefused]:
    verified = verifier.verify(payload, signature)
    if isinstance(verified, Err):
        return verified
    event = verified.value
    if not event.handled:
        log.info("stripe event of a type not handled", extra={"stripe_event_id": event.id})
        return Ok(Received(event_id=event.id, outcome="ignored_type"))
    receipt = await inbox.receive(event)
    if receipt == "unknown_tenant":
        # Signed by Stripe but not ours to apply (another system's intent on the account).
        log.warning("stripe event of no known tenant", extra={"stripe_event_id": event.id})
    return Ok(Received(event_id=event.id, outcome=receipt))
