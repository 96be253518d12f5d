"""The ``outbox`` job: due outbox rows, claimed in batches across organisations, each
handled by its topic's handler, which applies it once (``PostgresOutbox.apply_once``).

A handler that raises fails the row: it is tried again after an exponential backoff with
jitter, and after ``max_attempts`` it is dead (``lml outbox dead``, ``lml outbox retry``).
A worker that dies mid-batch loses nothing: its rows' leases run out and another worker
claims them; what it had committed is marked done and is not applied again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import msgspec

from lml_outbox import Handler, OutboxMessage, PostgresOutbox, retry_delay
from lml_worker.jobs import Job, stop_requested
from lml_worker.metrics import OUTBOX_HANDLED, OUTBOX_IN_FLIGHT, OUTBOX_LAG

log = logging.getLogger("lml.worker.outbox")

NAME = "outbox"


class OutboxPolicy(msgspec.Struct, frozen=True, kw_only=True):
    batch_size: int
    lease: timedelta
    max_attempts: int
    backoff_base_seconds: float
    backoff_max_seconds: float
    # Rows of one batch handled at once: they are independent (each its own transaction).
    concurrency: int = 16


async def process_due(
    outbox: PostgresOutbox, handlers: Mapping[str, Handler], policy: OutboxPolicy
) -> int:
    """One batch: claim, handle each row, record failures. Returns how many were claimed."""
    claimed = await outbox.claim(policy.batch_size, policy.lease)
    slots = asyncio.Semaphore(policy.concurrency)

    async def handle(message: OutboxMessage) -> None:
        async with slots:
            await _handle_counted(outbox, handlers, policy, message)

    await asyncio.gather(*(handle(message) for message in claimed))
    return len(claimed)


async def drain_due(
    outbox: PostgresOutbox, handlers: Mapping[str, Handler], policy: OutboxPolicy
) -> int:
    """Handle due rows until none is left (or the worker is asked to stop), ``concurrency``
    at a time, claiming more as rows finish: no row waits for the slowest of a batch claimed
    with it, and a row is leased only once a slot is free for it. Claims wait for half the
    slots to free, so they stay batches instead of one per finished row. Returns how many
    rows were claimed."""
    in_flight: set[asyncio.Task[None]] = set()
    claimed_count = 0
    try:
        while not stop_requested():
            wanted = min(policy.concurrency - len(in_flight), policy.batch_size)
            claimed = await outbox.claim(wanted, policy.lease)
            claimed_count += len(claimed)
            in_flight.update(
                asyncio.create_task(_handle_counted(outbox, handlers, policy, message))
                for message in claimed
            )
            if len(claimed) < wanted:
                break  # nothing more is due now: finish what is in flight
            while len(in_flight) > policy.concurrency // 2:
                _, in_flight = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
        if in_flight:
            await asyncio.wait(in_flight)
    finally:
        # Cancelled mid-drain: what is in flight goes too (its rows' leases run out).
        for task in in_flight:
            task.cancel()
    return claimed_count


async def _handle_counted(
    outbox: PostgresOutbox,
    handlers: Mapping[str, Handler],
    policy: OutboxPolicy,
    message: OutboxMessage,
) -> None:
    OUTBOX_IN_FLIGHT.inc()
    try:
        await _handle(outbox, handlers, policy, message)
    finally:
        OUTBOX_IN_FLIGHT.dec()


async def _handle(
    outbox: PostgresOutbox,
    handlers: Mapping[str, Handler],
    policy: OutboxPolicy,
    message: OutboxMessage,
) -> None:
    label = message.payload.get("type", message.topic)
    try:
        handler = handlers.get(message.topic)
        if handler is None:
            raise LookupError(f"no handler for topic {message.topic!r}")
        await handler(message)
    except Exception as error:  # any failure is the row's: retried, or dead at the last
        dead = message.attempts >= policy.max_attempts
        retry_at = None
        if not dead:
            delay = retry_delay(
                message.attempts,
                base=policy.backoff_base_seconds,
                cap=policy.backoff_max_seconds,
            )
            retry_at = datetime.now(UTC) + timedelta(seconds=delay)
        await outbox.fail(message, f"{type(error).__name__}: {error}", retry_at)
        OUTBOX_HANDLED.labels(label, "dead" if dead else "failed").inc()
        log.warning(
            "outbox row failed",
            extra={
                "id": message.id,
                "topic": message.topic,
                "attempts": message.attempts,
                "dead": dead,
                "error": repr(error),
            },
        )
    else:
        OUTBOX_HANDLED.labels(label, "processed").inc()


def outbox_processor(
    outbox: PostgresOutbox,
    handlers: Mapping[str, Handler],
    policy: OutboxPolicy,
    *,
    interval_seconds: float,
) -> Job:
    """Each run drains what is due (until the worker is asked to stop), then reports the
    lag."""

    async def run() -> None:
        await drain_due(outbox, handlers, policy)
        if not stop_requested():
            OUTBOX_LAG.set(await outbox.lag_seconds())

    return Job(NAME, interval_seconds, run)
