"""Ports of the ordering context. Adapters built on a tenant unit of work take part in
the one transaction that writes an order and converts its hold
(docs/decisions/0006-table-ownership.md)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol

import msgspec

from lml_ordering.domain import (
    AuditEntry,
    Cursor,
    HoldAlreadyOrdered,
    HoldExpired,
    HoldNotFound,
    HoldTokenRefused,
    Order,
    OrderStatus,
    PriceList,
    Reservation,
)
from lml_result import Result

ConversionRefusal = HoldNotFound | HoldTokenRefused | HoldExpired | HoldAlreadyOrdered


class Clock(Protocol):
    def now(self) -> datetime: ...


class OrderIds(Protocol):
    def new_order_id(self) -> str: ...


class HoldConversion(Protocol):
    """The seating side of an order: the hold becomes the order's reservation."""

    async def convert(
        self, org_id: str, hold_id: str, token: str, at: datetime
    ) -> Result[Reservation, ConversionRefusal]:
        """In the caller's transaction: the hold, active, unexpired at ``at`` and owned by
        ``token``, keeps its places for good; refused otherwise, changing nothing."""
        ...

    async def settle(self, reservation: Reservation) -> None:
        """After the commit: the lock store stops the converted hold's locks lapsing."""
        ...

    async def release(self, org_id: str, hold_id: str, at: datetime, ended_as: OrderStatus) -> bool:
        """In the caller's transaction: the converted hold's places are free again (its
        order ended unpaid, ``ended_as`` ``canceled`` or ``expired``); False when it was
        not converted."""
        ...

    async def after_release(self, hold_id: str, ended_as: OrderStatus) -> None:
        """After the commit: the lock store frees the hold's locks and tells watchers why
        (the order was ``canceled`` or ``expired``)."""
        ...

    async def sell(self, org_id: str, hold_id: str, order_id: str) -> None:
        """In the caller's transaction: the converted hold's places are sold for good (its
        order was paid); the lock store follows once it commits, at least once."""
        ...


class DueOrder(msgspec.Struct, frozen=True, kw_only=True):
    org_id: str
    order_id: str


class DueOrders(Protocol):
    """The expirer's one read across organisations: ids only, each order then handled in
    its own organisation's unit of work."""

    async def claim(self, limit: int) -> Sequence[DueOrder]:
        """Pending orders whose ``expires_at`` has passed, oldest due first, at most
        ``limit``; orders another transaction is moving right now are skipped."""
        ...


class Prices(Protocol):
    async def of_event(self, org_id: str, event_id: str) -> PriceList | None: ...


class OrderQuery(msgspec.Struct, frozen=True, kw_only=True):
    org_id: str
    status: OrderStatus | None = None
    event_id: str | None = None
    after: Cursor | None = None
    limit: int = 50


class Orders(Protocol):
    async def add(self, order: Order, entry: AuditEntry) -> None: ...

    async def get(self, org_id: str, order_id: str) -> Order | None: ...

    async def move(self, order: Order, entry: AuditEntry) -> bool:
        """Record ``entry``'s transition if the order is still in its ``from_status``
        (else False, nothing written): the status and the audit entry together."""
        ...

    async def page(self, query: OrderQuery) -> Sequence[Order]:
        """Orders by (created_at, id), strictly after ``query.after``, at most ``query.limit``."""
        ...

    async def note(self, org_id: str, entry: AuditEntry) -> None:
        """An audit entry of something that befell the order without moving it (a payment
        that failed, or came after the order had ended)."""
        ...

    async def hold_for_payment(self, org_id: str, order_id: str, since: datetime | None) -> bool:
        """A pending order's payment is in flight since ``since`` (None: no longer), which
        keeps it from expiring up to a limit; False when it is not pending."""
        ...


class OrderWork(Protocol):
    """One transaction of one organisation across ordering and seating."""

    @property
    def orders(self) -> Orders: ...

    @property
    def holds(self) -> HoldConversion: ...

    @property
    def prices(self) -> Prices: ...

    async def commit(self) -> None: ...


class OrderWorkFactory(Protocol):
    def __call__(self, org_id: str) -> AbstractAsyncContextManager[OrderWork]: ...
