"""Use case: extend a hold by its token, never past its maximum total lifetime."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import msgspec

from lml_result import Err, Ok, Result
from lml_seating.application.ports import (
    Clock,
    Extended,
    HoldLocks,
    Inventory,
    LockRefused,
    StoredHold,
)
from lml_seating.application.refusals import token_rejection
from lml_seating.application.tokens import digests_match, token_digest
from lml_seating.domain import (
    Hold,
    HoldNotFound,
    HoldPolicy,
    HoldStatus,
    HoldTokenRefused,
    InvalidRequest,
    LifetimeExceeded,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtendHold:
    org_id: str
    hold_id: str
    token: str | None = field(repr=False)
    ttl_seconds: int | None = None


ExtendHoldError = InvalidRequest | HoldNotFound | HoldTokenRefused | LifetimeExceeded


async def extend_hold(
    cmd: ExtendHold, *, policy: HoldPolicy, locks: HoldLocks, inventory: Inventory, clock: Clock
) -> Result[Hold, ExtendHoldError]:
    """The new expiry is ``ttl_seconds`` from now (the lock store's clock decides)."""
    ttl = policy.ttl(cmd.ttl_seconds)
    if isinstance(ttl, Err):
        return ttl
    stored = await inventory.find(cmd.org_id, cmd.hold_id)
    if stored is None:
        return Err(HoldNotFound(cmd.hold_id))
    if cmd.token is None:
        return Err(HoldTokenRefused("not_sent"))
    digest = token_digest(cmd.token)
    outcome = await locks.extend(stored.hold, digest, ttl.value)
    if isinstance(outcome, LockRefused) and outcome.reason == "unknown":
        outcome = _extend_forgotten(stored, digest, ttl.value, clock)
    match outcome:
        case Extended(expires_at):
            # PostgreSQL checks the digest too: a Redis that lost or confused its state
            # cannot extend a hold for a caller without its token.
            if not await inventory.extend(cmd.org_id, cmd.hold_id, digest, expires_at):
                owned = digests_match(digest, stored.token_hash)
                return Err(HoldTokenRefused("ended" if owned else "wrong"))
            return Ok(msgspec.structs.replace(stored.hold, expires_at=expires_at))
        case LockRefused(reason="limit", max_expires_at=max_expires_at):
            return Err(LifetimeExceeded(max_expires_at or stored.hold.max_expires_at))
        case LockRefused(reason=reason):
            return Err(HoldTokenRefused(token_rejection(reason)))


def _extend_forgotten(
    stored: StoredHold, digest: bytes, ttl_seconds: int, clock: Clock
) -> Extended | LockRefused:
    """Redis lost the hold (restart, failover): PostgreSQL's record decides alone.

    The seats stay fenced by PostgreSQL; the lock store simply no longer gates them.
    """
    hold = stored.hold
    now = clock.now()
    if not digests_match(digest, stored.token_hash):
        return LockRefused("token")
    if hold.status is not HoldStatus.ACTIVE:
        return LockRefused("ended")
    if hold.expires_at <= now:
        return LockRefused("expired")
    expires_at = now + timedelta(seconds=ttl_seconds)
    if expires_at > hold.max_expires_at:
        return LockRefused("limit", hold.max_expires_at)
    return Extended(expires_at)
