"""Use case: hold seats and GA places, all or nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import msgspec

from lml_result import Err, Ok, Result
from lml_seating.application.ports import (
    Acquired,
    HoldIdentities,
    HoldLocks,
    HoldRules,
    Inventory,
    InventoryRefusal,
    LockConflict,
    LockTerms,
    ZonesNotLoaded,
)
from lml_seating.application.tokens import token_digest
from lml_seating.domain import (
    EventNotFound,
    GaQuantity,
    Hold,
    HoldGrant,
    HoldPolicy,
    HoldScope,
    HoldStatus,
    InvalidRequest,
    SeatConflict,
    TooManySeats,
    UnknownSalesChannel,
    UnknownSeats,
    UnknownZones,
    check_against_rules,
    shape_request,
)

log = logging.getLogger("lml.seating")


@dataclass(frozen=True, slots=True, kw_only=True)
class HoldSeats:
    org_id: str
    event_id: str
    seat_ids: tuple[str, ...] = ()
    ga: tuple[GaQuantity, ...] = ()
    sales_channel_id: str | None = None
    ttl_seconds: int | None = None


HoldSeatsError = (
    InvalidRequest
    | EventNotFound
    | UnknownSalesChannel
    | UnknownZones
    | UnknownSeats
    | TooManySeats
    | SeatConflict
)


async def hold_seats(
    cmd: HoldSeats,
    *,
    policy: HoldPolicy,
    rules: HoldRules,
    locks: HoldLocks,
    inventory: Inventory,
    identities: HoldIdentities,
) -> Result[HoldGrant, HoldSeatsError]:
    """Redis takes the locks first (the fast gate), then PostgreSQL records the hold.

    PostgreSQL refusing (Redis lost its state, or a seat is sold or blocked) or failing
    rolls the locks back, so the caller never ends up with half a hold.
    """
    shape = shape_request(cmd.seat_ids, cmd.ga, cmd.ttl_seconds, policy)
    if isinstance(shape, Err):
        return shape
    event_rules = await rules.rules(cmd.org_id, cmd.event_id)
    if event_rules is None:
        return Err(EventNotFound(cmd.event_id))
    allowed = check_against_rules(shape.value, cmd.sales_channel_id, event_rules)
    if isinstance(allowed, Err):
        return allowed
    lock = HoldScope(
        org_id=cmd.org_id,
        event_id=cmd.event_id,
        id=identities.new_hold_id(),
        seat_ids=shape.value.seat_ids,
        ga=shape.value.ga,
        sales_channel_id=cmd.sales_channel_id,
    )
    token = identities.new_token()
    digest = token_digest(token)
    acquired = await _acquire(lock, digest, shape.value.ttl_seconds, policy, locks, inventory)
    if isinstance(acquired, UnknownZones):
        return Err(acquired)
    if isinstance(acquired, LockConflict):
        # Inventory adds what Redis cannot know (sold, blocked, unknown seats), so the
        # answer names every obstacle at once.
        return Err(_refused(await inventory.refusal(lock), acquired))
    hold = _hold(lock, acquired)
    try:
        taken = await inventory.take(hold, digest)
    except BaseException:
        await _roll_back(locks, lock, digest)
        raise
    if isinstance(taken, Err):
        await _roll_back(locks, lock, digest)
        return Err(_refused(taken.error, LockConflict((), ())))
    return Ok(HoldGrant(hold, token))


async def _acquire(
    lock: HoldScope,
    digest: bytes,
    ttl_seconds: int,
    policy: HoldPolicy,
    locks: HoldLocks,
    inventory: Inventory,
) -> Acquired | LockConflict | UnknownZones:
    """Acquire, loading GA counters from inventory the first time a zone is used."""
    terms = LockTerms(ttl_seconds=ttl_seconds, max_lifetime_seconds=policy.max_lifetime_seconds)
    for _ in range(2):
        outcome = await locks.acquire(lock, digest, terms)
        if not isinstance(outcome, ZonesNotLoaded):
            return outcome
        counts = await inventory.zone_counts(lock.org_id, lock.event_id, outcome.zone_ids)
        missing = set(outcome.zone_ids) - {zone.zone_id for zone in counts}
        if missing:
            return UnknownZones(tuple(sorted(missing)))
        await locks.load_zones(lock.event_id, counts)
    raise RuntimeError(f"zone counters of event {lock.event_id} did not load")


def _refused(refusal: InventoryRefusal, conflict: LockConflict) -> UnknownSeats | SeatConflict:
    if refusal.unknown_seat_ids:
        return UnknownSeats(refusal.unknown_seat_ids)
    return SeatConflict(
        seat_ids=tuple(sorted({*conflict.seat_ids, *refusal.seat_ids})),
        zone_ids=tuple(sorted({*conflict.zone_ids, *refusal.zone_ids})),
    )


async def _roll_back(locks: HoldLocks, lock: HoldScope, digest: bytes) -> None:
    """Best effort: locks left behind by a failed rollback expire with their TTL."""
    try:
        await locks.rollback(lock, digest)
    except Exception:
        log.exception(
            "could not roll back the locks of an unrecorded hold; they expire by themselves",
            extra={"hold_id": lock.id, "event_id": lock.event_id},
        )


def _hold(lock: HoldScope, acquired: Acquired) -> Hold:
    return Hold(
        **msgspec.structs.asdict(lock),
        status=HoldStatus.ACTIVE,
        created_at=acquired.created_at,
        expires_at=acquired.expires_at,
        max_expires_at=acquired.max_expires_at,
    )
