"""Use case: read a hold of the caller's organisation (its token is never returned)."""

from __future__ import annotations

import msgspec

from lml_result import Err, Ok, Result
from lml_seating.application.ports import Clock, Inventory
from lml_seating.domain import Hold, HoldNotFound


async def get_hold(
    org_id: str, hold_id: str, *, inventory: Inventory, clock: Clock
) -> Result[Hold, HoldNotFound]:
    stored = await inventory.find(org_id, hold_id)
    if stored is None:
        return Err(HoldNotFound(hold_id))
    hold = stored.hold
    return Ok(msgspec.structs.replace(hold, status=hold.status_at(clock.now())))
