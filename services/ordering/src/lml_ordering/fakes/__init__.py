"""In-memory adapters for every ordering port, for unit tests and the in-memory app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from lml_ordering.application.ports import (
    ConversionRefusal,
    DueOrder,
    HoldConversion,
    OrderQuery,
    Orders,
    Prices,
)
from lml_ordering.domain import (
    AuditEntry,
    HoldAlreadyOrdered,
    HoldExpired,
    HoldNotFound,
    HoldTokenRefused,
    Order,
    OrderStatus,
    PriceList,
    Reservation,
)
from lml_result import Err, Ok, Result


class ManualClock:
    def __init__(self, now: datetime | None = None) -> None:
        self._now = now or datetime(2027, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)


class SequentialOrderIds:
    def __init__(self) -> None:
        self._n = 0

    def new_order_id(self) -> str:
        self._n += 1
        return f"ord_{self._n:06d}"


class InMemoryOrders:
    """Orders by id; ``audit`` is the log, in the order entries were written."""

    def __init__(self) -> None:
        self.orders: dict[str, Order] = {}
        self.audit: list[AuditEntry] = []
        self.payments_in_flight: dict[str, datetime] = {}

    async def add(self, order: Order, entry: AuditEntry) -> None:
        if any(
            o.org_id == order.org_id and o.hold_id == order.hold_id for o in self.orders.values()
        ):
            raise ValueError(f"hold {order.hold_id!r} already has an order")
        self.orders[order.id] = order
        self.audit.append(entry)

    async def get(self, org_id: str, order_id: str) -> Order | None:
        order = self.orders.get(order_id)
        return order if order is not None and order.org_id == org_id else None

    async def move(self, order: Order, entry: AuditEntry) -> bool:
        stored = self.orders.get(order.id)
        if stored is None or stored.org_id != order.org_id or stored.status != entry.from_status:
            return False
        self.orders[order.id] = order
        self.audit.append(entry)
        return True

    async def note(self, org_id: str, entry: AuditEntry) -> None:
        self.audit.append(entry)

    async def hold_for_payment(self, org_id: str, order_id: str, since: datetime | None) -> bool:
        order = await self.get(org_id, order_id)
        if order is None or order.status is not OrderStatus.PENDING:
            return False
        if since is None:
            self.payments_in_flight.pop(order_id, None)
        else:
            self.payments_in_flight[order_id] = since
        return True

    async def page(self, query: OrderQuery) -> Sequence[Order]:
        after = None if query.after is None else (query.after.after, query.after.after_id)
        found = sorted(
            (
                o
                for o in self.orders.values()
                if o.org_id == query.org_id
                and (query.status is None or o.status is query.status)
                and (query.event_id is None or o.event_id == query.event_id)
                and (after is None or (o.created_at, o.id) > after)
            ),
            key=lambda o: (o.created_at, o.id),
        )
        return found[: query.limit]


@dataclass
class FakeHold:
    org_id: str
    token: str
    expires_at: datetime
    reservation: Reservation
    status: str = "active"  # active | released | expired | converted | sold


class FakeHoldConversion:
    """Holds as the seating side would report them; ``settled`` lists what the lock store
    was told, after commit."""

    def __init__(self) -> None:
        self.holds: dict[str, FakeHold] = {}
        self.settled: list[Reservation] = []
        self.freed: list[str] = []
        self.sold: list[tuple[str, str]] = []

    def add(self, hold: FakeHold) -> None:
        self.holds[hold.reservation.hold_id] = hold

    async def convert(
        self, org_id: str, hold_id: str, token: str, at: datetime
    ) -> Result[Reservation, ConversionRefusal]:
        hold = self.holds.get(hold_id)
        if hold is None or hold.org_id != org_id:
            return Err(HoldNotFound(hold_id))
        if token != hold.token:
            return Err(HoldTokenRefused("wrong"))
        if hold.status == "converted":
            return Err(HoldAlreadyOrdered(hold_id))
        if hold.status != "active" or hold.expires_at <= at:
            return Err(HoldExpired(hold_id))
        hold.status = "converted"
        return Ok(hold.reservation)

    async def settle(self, reservation: Reservation) -> None:
        self.settled.append(reservation)

    async def release(self, org_id: str, hold_id: str, at: datetime, ended_as: OrderStatus) -> bool:
        hold = self.holds.get(hold_id)
        if hold is None or hold.org_id != org_id or hold.status != "converted":
            return False
        hold.status = "released"
        return True

    async def after_release(self, hold_id: str, ended_as: OrderStatus) -> None:
        self.freed.append(hold_id)

    async def sell(self, org_id: str, hold_id: str, order_id: str) -> None:
        hold = self.holds.get(hold_id)
        if hold is not None and hold.org_id == org_id and hold.status == "converted":
            hold.status = "sold"
            self.sold.append((hold_id, order_id))


class InMemoryDueOrders:
    """As ``lml.claim_due_orders``: pending orders past ``expires_at`` on ``clock``."""

    def __init__(self, orders: InMemoryOrders, clock: ManualClock) -> None:
        self._orders = orders
        self._clock = clock

    async def claim(self, limit: int) -> Sequence[DueOrder]:
        now = self._clock.now()
        due = sorted(
            (
                o
                for o in self._orders.orders.values()
                if o.status is OrderStatus.PENDING and o.expires_at <= now
            ),
            key=lambda o: (o.expires_at, o.id),
        )
        return [DueOrder(org_id=o.org_id, order_id=o.id) for o in due[: max(limit, 0)]]


class FakePrices:
    def __init__(self) -> None:
        self.events: dict[tuple[str, str], PriceList] = {}

    async def of_event(self, org_id: str, event_id: str) -> PriceList | None:
        return self.events.get((org_id, event_id))


@dataclass
class _Unit:
    orders: Orders
    holds: HoldConversion
    prices: Prices
    committed: bool = False

    async def commit(self) -> None:
        self.committed = True


@dataclass
class InMemoryOrderWork:
    """An ``OrderWorkFactory`` over the fakes: a unit's writes are kept only when it
    commits (the hold statuses and orders are restored otherwise)."""

    orders: InMemoryOrders = field(default_factory=InMemoryOrders)
    holds: FakeHoldConversion = field(default_factory=FakeHoldConversion)
    prices: FakePrices = field(default_factory=FakePrices)
    commits: int = 0

    @asynccontextmanager
    async def __call__(self, org_id: str) -> AsyncIterator[_Unit]:
        saved_orders = dict(self.orders.orders)
        saved_audit = list(self.orders.audit)
        saved_status = {hold_id: hold.status for hold_id, hold in self.holds.holds.items()}
        unit = _Unit(self.orders, self.holds, self.prices)
        try:
            yield unit
        finally:
            if unit.committed:
                self.commits += 1
            else:
                self.orders.orders = saved_orders
                self.orders.audit = saved_audit
                for hold_id, status in saved_status.items():
                    self.holds.holds[hold_id].status = status


__all__ = [
    "FakeHold",
    "FakeHoldConversion",
    "FakePrices",
    "InMemoryDueOrders",
    "InMemoryOrderWork",
    "InMemoryOrders",
    "ManualClock",
    "SequentialOrderIds",
]
