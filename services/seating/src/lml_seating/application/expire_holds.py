"""Use case: the sweeper's pass over holds whose time ran out."""

from __future__ import annotations

from lml_seating.application.ports import (
    Clock,
    Expired,
    ExpiryQueue,
    Inventory,
    NotDue,
)
from lml_seating.domain import HoldStatus

DEFAULT_BATCH = 500
# The lock store normally ends a hold within a sweep of its expiry; inventory is asked
# only about holds overdue for longer, which the lock store has lost.
OVERDUE_GRACE_SECONDS = 10.0


async def expire_due_holds(
    *,
    expiries: ExpiryQueue,
    inventory: Inventory,
    clock: Clock,
    limit: int = DEFAULT_BATCH,
    grace_seconds: float = OVERDUE_GRACE_SECONDS,
) -> int:
    """Expire what is due and return how many holds this caller expired.

    The lock store claims each hold atomically (its ``seat.released`` event goes out in
    the same step), so with several sweepers every expiry is published exactly once;
    only the claimant then records it in inventory. Holds the lock store lost (a Redis
    restart, failover or flush) are found in inventory and claimed the same way, so
    their places come back too.
    """
    expired = 0
    for lock in await expiries.due(limit):
        if isinstance(await expiries.expire(lock), Expired):
            expired += 1
            await inventory.end(lock.org_id, lock.id, HoldStatus.EXPIRED, clock.now())
    for overdue in await inventory.overdue(grace_seconds, limit):
        stored = await inventory.find(overdue.org_id, overdue.hold_id)
        if stored is None or stored.hold.status is not HoldStatus.ACTIVE:
            continue
        outcome = await expiries.expire(stored.hold)
        if isinstance(outcome, NotDue):
            continue
        expired += isinstance(outcome, Expired)
        # Ended in the lock store but not recorded (the sweeper that claimed it failed
        # before recording): record it now, without publishing twice.
        await inventory.end(overdue.org_id, overdue.hold_id, HoldStatus.EXPIRED, clock.now())
    return expired
