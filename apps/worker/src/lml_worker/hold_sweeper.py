"""The ``hold_sweeper`` job: publish ``seat.released`` (reason ``expired``) for every hold
that ran out, exactly once however many workers run it, and free it in PostgreSQL."""

from __future__ import annotations

from lml_config import Settings
from lml_seating.application import Clock, ExpiryQueue, Inventory, expire_due_holds
from lml_seating.infrastructure.adapters import SeatingAdapters
from lml_worker.jobs import Job, draining

NAME = "hold_sweeper"
BATCH = 500


def hold_sweeper(
    *, expiries: ExpiryQueue, inventory: Inventory, clock: Clock, interval_seconds: float
) -> Job:
    """Each run drains what is due, a batch at a time, so a backlog never waits a tick."""

    async def batch() -> int:
        return await expire_due_holds(
            expiries=expiries, inventory=inventory, clock=clock, limit=BATCH
        )

    return draining(NAME, interval_seconds, batch, BATCH)


def redis_hold_sweeper(settings: Settings, seating: SeatingAdapters) -> Job:
    """The sweeper on the same seating adapters as the API's hold routes."""
    return hold_sweeper(
        expiries=seating.expiries,
        inventory=seating.inventory,
        clock=seating.clock,
        interval_seconds=settings.hold_sweep_interval_seconds,
    )
