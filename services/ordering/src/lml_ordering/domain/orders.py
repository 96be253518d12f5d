"""An order: the places of one converted hold, priced in minor units of the event's currency."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import msgspec

from lml_ordering.domain.errors import TransitionRefused
from lml_ordering.domain.status import OrderStatus, may_move
from lml_result import Err, Ok, Result


class Buyer(msgspec.Struct, frozen=True, kw_only=True):
    email: str
    name: str


class ReservedSeat(msgspec.Struct, frozen=True, kw_only=True):
    seat_id: str
    price_category: str


class ReservedZone(msgspec.Struct, frozen=True, kw_only=True):
    zone_id: str
    price_category: str
    quantity: int


class Reservation(msgspec.Struct, frozen=True, kw_only=True):
    """What a converted hold kept, as the seating side reports it."""

    hold_id: str
    event_id: str
    seats: tuple[ReservedSeat, ...]
    zones: tuple[ReservedZone, ...]


class PriceList(msgspec.Struct, frozen=True, kw_only=True):
    """An event's prices: amount in minor units per price category."""

    currency: str
    amounts: Mapping[str, int]


class OrderLine(msgspec.Struct, frozen=True, kw_only=True):
    """One seat, or one place of a GA zone: exactly one of ``seat_id``, ``zone_id``."""

    seat_id: str | None = None
    zone_id: str | None = None
    price_category: str
    amount: int


class Order(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    org_id: str
    event_id: str
    hold_id: str
    status: OrderStatus
    buyer: Buyer
    lines: tuple[OrderLine, ...]
    currency: str
    expires_at: datetime
    created_at: datetime

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One transition of an order (``from_status`` is None for its creation)."""

    order_id: str
    from_status: OrderStatus | None
    to_status: OrderStatus
    actor: str
    reason: str
    at: datetime


class UnpricedCategory(LookupError):
    """A reserved place whose category the event gives no price: catalog refuses such an
    event at creation, so this is a bug or a corrupt row, raised, not returned."""


def priced_lines(reservation: Reservation, prices: PriceList) -> tuple[OrderLine, ...]:
    """A line per seat (in seat order), then a line per GA place (by zone)."""

    def line(category: str, *, seat_id: str | None = None, zone_id: str | None = None) -> OrderLine:
        if category not in prices.amounts:
            raise UnpricedCategory(category)
        amount = prices.amounts[category]
        return OrderLine(seat_id=seat_id, zone_id=zone_id, price_category=category, amount=amount)

    seats = [
        line(seat.price_category, seat_id=seat.seat_id)
        for seat in sorted(reservation.seats, key=lambda s: s.seat_id)
    ]
    places = [
        line(zone.price_category, zone_id=zone.zone_id)
        for zone in sorted(reservation.zones, key=lambda z: z.zone_id)
        for _ in range(zone.quantity)
    ]
    return (*seats, *places)


def transition(
    order: Order, target: OrderStatus, *, actor: str, reason: str, at: datetime
) -> Result[tuple[Order, AuditEntry], TransitionRefused]:
    """The order moved to ``target`` and the audit entry that records it, or a refusal."""
    if not may_move(order.status, target):
        return Err(TransitionRefused(order.id, order.status, target))
    entry = AuditEntry(
        order_id=order.id,
        from_status=order.status,
        to_status=target,
        actor=actor,
        reason=reason,
        at=at,
    )
    return Ok((msgspec.structs.replace(order, status=target), entry))
