"""Use cases of the order path: convert a hold in the order's transaction, then settle its
locks once that transaction has committed; free (order ended unpaid) or sell (order paid)
a converted hold's places the same way."""

from __future__ import annotations

from datetime import datetime

from lml_seating.application.ports import (
    ConversionRefused,
    HoldConversions,
    LockRefused,
    OrderLocks,
    Released,
    Settled,
    Sold,
)
from lml_seating.application.tokens import token_digest
from lml_seating.domain import ConvertedHold, HoldScope, OrderEndReason


async def convert_hold(
    org_id: str, hold_id: str, token: str, at: datetime, *, conversions: HoldConversions
) -> ConvertedHold | ConversionRefused:
    """Inventory converts the hold, checking its token's digest, in the caller's
    transaction; nothing is kept unless the caller commits."""
    return await conversions.convert(org_id, hold_id, token_digest(token), at)


async def settle_converted_hold(
    converted: ConvertedHold, token: str, *, locks: OrderLocks
) -> Settled | LockRefused:
    """After the commit: the lock store keeps the converted hold's seats for good.

    Inventory is the authority either way: a hold the sweeper ended in the lock store
    between the commit and this call (``ended``) keeps its seats in PostgreSQL, which
    refuses every other hold of them.
    """
    return await locks.settle(converted.scope, token_digest(token))


async def release_converted_hold(
    org_id: str, hold_id: str, at: datetime, *, conversions: HoldConversions
) -> HoldScope | None:
    """Inventory frees a converted hold's places in the caller's transaction (its order was
    canceled); None when the hold is not converted."""
    return await conversions.release(org_id, hold_id, at)


async def free_canceled_locks(
    lock: HoldScope, *, locks: OrderLocks, reason: OrderEndReason = "order_canceled"
) -> Released | LockRefused:
    """After the commit: the lock store frees the hold's locks and publishes
    ``seat.released`` with ``reason`` (``order_canceled`` or ``order_expired``)."""
    return await locks.cancel(lock, reason)


async def sell_converted_hold(
    org_id: str, hold_id: str, *, conversions: HoldConversions
) -> HoldScope | None:
    """Inventory sells a converted hold's places in the caller's transaction (its order was
    paid); None when the hold is not converted: sold already, or freed."""
    return await conversions.sell(org_id, hold_id)


async def publish_sale(lock: HoldScope, order_id: str, *, locks: OrderLocks) -> Sold:
    """After the commit: the lock store keeps the seats for good, counts the GA places sold
    and publishes ``seat.sold`` for ``order_id``; at least once, so idempotent."""
    return await locks.sell(lock, order_id)
