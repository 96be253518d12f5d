"""What the lock store must do after a hold's change in PostgreSQL commits, as outbox rows
(``lml_outbox``): settle a converted hold, free a released one, sell a paid one.

Written in the transaction that changes the hold, applied by the worker at least once:
each lock script is idempotent (a hold settled, freed or sold already answers so), and
a refusal is final (the hold moved on since; PostgreSQL is the authority). Only the lock
store being unreachable fails the row, to be tried again.
"""

from __future__ import annotations

import logging
from typing import Any

import msgspec

from lml_outbox import OutboxMessage
from lml_seating.application import OrderLocks
from lml_seating.domain import HoldScope

log = logging.getLogger("lml.sales.locks")

HOLD_CONVERTED = "hold.converted"
HOLD_RELEASED = "hold.released"
HOLD_SOLD = "hold.sold"
TOPICS = (HOLD_CONVERTED, HOLD_RELEASED, HOLD_SOLD)


def follow_up(scope: HoldScope, **details: str) -> dict[str, Any]:
    """The row's payload: the hold's scope, and what the script needs besides."""
    return {"hold": msgspec.to_builtins(scope), **details}


async def apply_follow_up(message: OutboxMessage, locks: OrderLocks) -> None:
    scope = msgspec.convert(message.payload["hold"], HoldScope)
    match message.topic:
        case "hold.converted":
            outcome: object = await locks.settle(
                scope, bytes.fromhex(message.payload["token_digest"])
            )
        case "hold.released":
            outcome = await locks.cancel(scope, message.payload["reason"])
        case "hold.sold":
            outcome = await locks.sell(scope, message.payload["order_id"])
        case _:
            raise ValueError(f"not a lock follow-up: {message.topic}")
    log.debug("lock follow-up applied", extra={"topic": message.topic, "outcome": repr(outcome)})
