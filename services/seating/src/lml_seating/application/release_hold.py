"""Use case: release a hold by its token, freeing its seats and places at once."""

from __future__ import annotations

from dataclasses import dataclass, field

from lml_result import Err, Ok, Result
from lml_seating.application.ports import Clock, HoldLocks, Inventory
from lml_seating.application.tokens import digests_match, token_digest
from lml_seating.domain import HoldNotFound, HoldStatus, HoldTokenRefused


@dataclass(frozen=True, slots=True, kw_only=True)
class ReleaseHold:
    org_id: str
    hold_id: str
    token: str | None = field(repr=False)


async def release_hold(
    cmd: ReleaseHold, *, locks: HoldLocks, inventory: Inventory, clock: Clock
) -> Result[None, HoldNotFound | HoldTokenRefused]:
    """PostgreSQL releases the hold first, checking the token's digest, in one transaction;
    then the lock script (checking the same digest) frees the locks and publishes
    ``seat.released``. Until it does, the locks only keep others out a moment longer.

    Whatever the lock store answers then, the release stands: it may have lost the hold
    (restart, failover), or the hold's locks ran out just now and the sweeper ends them.
    """
    digest = None if cmd.token is None else token_digest(cmd.token)
    if digest is not None:
        released = await inventory.release(cmd.org_id, cmd.hold_id, digest, clock.now())
        if released is not None:
            await locks.release(released, digest)
            return Ok(None)
    return Err(await _why_not(cmd.org_id, cmd.hold_id, digest, inventory))


async def _why_not(
    org_id: str, hold_id: str, digest: bytes | None, inventory: Inventory
) -> HoldNotFound | HoldTokenRefused:
    stored = await inventory.find(org_id, hold_id)
    if stored is None:
        return HoldNotFound(hold_id)
    if digest is None:
        return HoldTokenRefused("not_sent")
    if not digests_match(digest, stored.token_hash):
        return HoldTokenRefused("wrong")
    return HoldTokenRefused("expired" if stored.hold.status is HoldStatus.ACTIVE else "ended")
