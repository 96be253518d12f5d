"""The ``order_expirer`` job: pending orders past ``expires_at`` become ``expired``, their
hold's seats and places freed (``seat.released``, reason ``order_expired``), exactly once
however many workers run it: the claim returns ids across organisations, and each order
ends in its organisation's unit of work by the same path as a cancel."""

from __future__ import annotations

from datetime import timedelta

from lml_clocks import SystemClock
from lml_config import Settings
from lml_ordering.application import Clock, DueOrders, OrderWorkFactory, expire_due_orders
from lml_ordering.infrastructure import PostgresDueOrders
from lml_postgres import AppPool
from lml_sales.order_work import PostgresOrderWorkFactory
from lml_seating.infrastructure.adapters import SeatingAdapters
from lml_worker.jobs import Job, draining

NAME = "order_expirer"
BATCH = 200


def order_expirer(
    *, due: DueOrders, work: OrderWorkFactory, clock: Clock, interval_seconds: float
) -> Job:
    """Each run drains what is due, a batch at a time, so a backlog never waits a tick."""

    async def batch() -> int:
        return await expire_due_orders(due=due, work=work, clock=clock, limit=BATCH)

    return draining(NAME, interval_seconds, batch, BATCH)


def postgres_order_expirer(settings: Settings, pool: AppPool, seating: SeatingAdapters) -> Job:
    """The expirer on the same order unit of work as the API's order routes."""
    return order_expirer(
        due=PostgresDueOrders(pool, timedelta(seconds=settings.payment_in_flight_limit_seconds)),
        work=PostgresOrderWorkFactory(pool, seating.order_locks),
        clock=SystemClock(),
        interval_seconds=settings.order_expiry_interval_seconds,
    )
