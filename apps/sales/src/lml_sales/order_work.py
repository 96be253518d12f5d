"""Orders span two contexts in one transaction: the wiring of ordering's ports to seating.

``PostgresOrderWorkFactory`` opens ``lml_tenancy.tenant_unit_of_work`` per use-case call and
builds ordering's ``PostgresOrders``/``PostgresPrices`` and seating's
``PostgresHoldConversion`` on it (docs/decisions/0006-table-ownership.md, section 3).
``SeatingHoldConversion`` is ordering's ``HoldConversion`` port over seating's use cases,
translating seating's values and refusals into ordering's: neither service imports the
other; this module imports both.

Each change of a hold in PostgreSQL writes, in the same transaction, the outbox row of
what the lock store must do once it commits (``lml_sales.lock_follow_ups``): settle a
converted hold, free a released one, sell a paid one. The API does the first two at once
after the commit as well, so watchers see them without waiting for the worker; the rows
make sure a crash in between loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from lml_ordering.application import ConversionRefusal, HoldConversion, OrderWork, Prices
from lml_ordering.domain import (
    HoldAlreadyOrdered,
    HoldExpired,
    HoldNotFound,
    HoldTokenRefused,
    OrderStatus,
    Reservation,
    ReservedSeat,
    ReservedZone,
)
from lml_ordering.infrastructure import PostgresOrders, PostgresPrices
from lml_outbox import enqueue
from lml_postgres import AppPool
from lml_result import DependencyUnavailable, Err, Ok, Result
from lml_sales.lock_follow_ups import HOLD_CONVERTED, HOLD_RELEASED, HOLD_SOLD, follow_up
from lml_sales.metrics import ORDER_TRANSITIONS
from lml_seating.application import (
    ConversionRefused,
    HoldConversions,
    OrderLocks,
    Released,
    Settled,
    convert_hold,
    free_canceled_locks,
    release_converted_hold,
    sell_converted_hold,
    settle_converted_hold,
    token_digest,
)
from lml_seating.domain import ConvertedHold, HoldScope, OrderEndReason
from lml_seating.infrastructure import PostgresHoldConversion
from lml_tenancy import TenantUnitOfWork, tenant_unit_of_work

log = logging.getLogger("lml.api.orders")


def _refusal(refused: ConversionRefused, hold_id: str) -> ConversionRefusal:
    match refused.reason:
        case "token":
            return HoldTokenRefused("wrong")
        case "converted_already":
            return HoldAlreadyOrdered(hold_id)
        case "ended":
            return HoldExpired(hold_id)
    return HoldNotFound(hold_id)


class SeatingHoldConversion:
    """One request's conversion: it remembers the hold it converted, to settle its locks
    after the commit."""

    def __init__(self, unit: TenantUnitOfWork, locks: OrderLocks) -> None:
        self._unit = unit
        self._conversions: HoldConversions = PostgresHoldConversion(unit)
        self._locks = locks
        self._converted: dict[str, tuple[ConvertedHold, str]] = {}
        self._released: dict[str, HoldScope] = {}

    async def convert(
        self, org_id: str, hold_id: str, token: str, at: datetime
    ) -> Result[Reservation, ConversionRefusal]:
        outcome = await convert_hold(org_id, hold_id, token, at, conversions=self._conversions)
        if isinstance(outcome, ConversionRefused):
            return Err(_refusal(outcome, hold_id))
        self._converted[hold_id] = (outcome, token)
        await enqueue(
            self._unit,
            org_id,
            HOLD_CONVERTED,
            follow_up(outcome.scope, token_digest=token_digest(token).hex()),
        )
        return Ok(
            Reservation(
                hold_id=hold_id,
                event_id=outcome.scope.event_id,
                seats=tuple(
                    ReservedSeat(seat_id=s.seat_id, price_category=s.price_category)
                    for s in outcome.seats
                ),
                zones=tuple(
                    ReservedZone(
                        zone_id=z.zone_id, price_category=z.price_category, quantity=z.quantity
                    )
                    for z in outcome.zones
                ),
            )
        )

    async def settle(self, reservation: Reservation) -> None:
        """The order is committed: a lock store that is down or ended the hold first changes
        nothing of it (PostgreSQL keeps the seats the order's), so this only logs."""
        converted, token = self._converted.pop(reservation.hold_id)
        try:
            settled = await settle_converted_hold(converted, token, locks=self._locks)
        except DependencyUnavailable:
            log.warning("hold %s converted; its locks could not be settled", reservation.hold_id)
            return
        if not isinstance(settled, Settled):
            log.warning(
                "hold %s converted; the lock store refused to settle it: %s",
                reservation.hold_id,
                settled.reason,
            )

    async def release(self, org_id: str, hold_id: str, at: datetime, ended_as: OrderStatus) -> bool:
        scope = await release_converted_hold(org_id, hold_id, at, conversions=self._conversions)
        if scope is None:
            return False
        self._released[hold_id] = scope
        await enqueue(self._unit, org_id, HOLD_RELEASED, follow_up(scope, reason=_reason(ended_as)))
        return True

    async def sell(self, org_id: str, hold_id: str, order_id: str) -> None:
        scope = await sell_converted_hold(org_id, hold_id, conversions=self._conversions)
        if scope is not None:
            await enqueue(self._unit, org_id, HOLD_SOLD, follow_up(scope, order_id=order_id))

    async def after_release(self, hold_id: str, ended_as: OrderStatus) -> None:
        """The release is committed: as for ``settle``, the lock store only follows."""
        scope = self._released.pop(hold_id)
        try:
            freed = await free_canceled_locks(scope, locks=self._locks, reason=_reason(ended_as))
        except DependencyUnavailable:
            log.warning("hold %s released; its locks could not be freed", hold_id)
            return
        if not isinstance(freed, Released):
            log.warning("hold %s released; the lock store refused: %s", hold_id, freed.reason)


def _reason(ended_as: OrderStatus) -> OrderEndReason:
    return "order_expired" if ended_as is OrderStatus.EXPIRED else "order_canceled"


@dataclass
class PostgresOrderWork:
    unit: TenantUnitOfWork
    orders: PostgresOrders
    holds: HoldConversion
    prices: Prices

    async def commit(self) -> None:
        await self.unit.commit()
        self.report_transitions()

    def report_transitions(self) -> None:
        """Count the transitions written, once their unit has committed."""
        for entry in self.orders.written:
            if entry.from_status is not entry.to_status:
                start = "none" if entry.from_status is None else entry.from_status.value
                ORDER_TRANSITIONS.labels(start, entry.to_status.value).inc()
        self.orders.written.clear()


@dataclass(frozen=True)
class PostgresOrderWorkFactory:
    pool: AppPool
    order_locks: OrderLocks

    @asynccontextmanager
    async def __call__(self, org_id: str) -> AsyncIterator[OrderWork]:
        async with tenant_unit_of_work(self.pool, org_id) as unit:
            yield order_work_on(unit, self.order_locks)


def order_work_on(unit: TenantUnitOfWork, order_locks: OrderLocks) -> PostgresOrderWork:
    """Ordering's and seating's adapters on a unit of work someone else opened (the
    worker's, which also marks its outbox row done)."""
    return PostgresOrderWork(
        unit=unit,
        orders=PostgresOrders(unit),
        holds=SeatingHoldConversion(unit, order_locks),
        prices=PostgresPrices(unit),
    )
