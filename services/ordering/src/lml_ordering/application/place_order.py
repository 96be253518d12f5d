"""Use case: turn a hold into a pending order, in one transaction with its conversion."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from lml_ordering.application.ports import Clock, ConversionRefusal, OrderIds, OrderWorkFactory
from lml_ordering.domain import (
    AuditEntry,
    Buyer,
    HoldTokenRefused,
    Order,
    OrderStatus,
    priced_lines,
)
from lml_result import Err, Ok, Result


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaceOrder:
    org_id: str
    actor: str
    hold_id: str
    hold_token: str | None = field(repr=False)
    buyer: Buyer


async def place_order(
    cmd: PlaceOrder,
    *,
    work: OrderWorkFactory,
    ids: OrderIds,
    clock: Clock,
    ttl_seconds: int,
) -> Result[Order, ConversionRefusal]:
    """The hold is converted, the order, its lines and its audit entry written, and all of
    it committed together, or nothing is. Only then does the lock store hear of it: its
    locks may lapse meanwhile, but PostgreSQL keeps the seats the order's."""
    if not cmd.hold_token:
        return Err(HoldTokenRefused("not_sent"))
    now = clock.now()
    async with work(cmd.org_id) as unit:
        converted = await unit.holds.convert(cmd.org_id, cmd.hold_id, cmd.hold_token, now)
        if isinstance(converted, Err):
            return converted
        reservation = converted.value
        prices = await unit.prices.of_event(cmd.org_id, reservation.event_id)
        if prices is None:
            # The hold's event has gone (its rows cascade): a bug, not an outcome.
            raise LookupError(f"event {reservation.event_id!r} of hold {cmd.hold_id!r}")
        order = Order(
            id=ids.new_order_id(),
            org_id=cmd.org_id,
            event_id=reservation.event_id,
            hold_id=cmd.hold_id,
            status=OrderStatus.PENDING,
            buyer=cmd.buyer,
            lines=priced_lines(reservation, prices),
            currency=prices.currency,
            expires_at=now + timedelta(seconds=ttl_seconds),
            created_at=now,
        )
        entry = AuditEntry(
            order_id=order.id,
            from_status=None,
            to_status=OrderStatus.PENDING,
            actor=cmd.actor,
            reason="placed from hold",
            at=now,
        )
        await unit.orders.add(order, entry)
        await unit.commit()
        await unit.holds.settle(reservation)
    return Ok(order)
