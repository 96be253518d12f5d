"""The outbox job as the worker runs it: PostgreSQL's outbox, the sale's handlers."""

from __future__ import annotations

from datetime import timedelta

from lml_config import Settings
from lml_outbox import PostgresOutbox
from lml_payments.application import PaymentGateway
from lml_postgres import AppPool
from lml_sales.outbox_handlers import outbox_handlers
from lml_seating.infrastructure.adapters import SeatingAdapters
from lml_worker.jobs import Job
from lml_worker.outbox_processor import OutboxPolicy, outbox_processor


def postgres_outbox_processor(
    settings: Settings, pool: AppPool, seating: SeatingAdapters, gateway: PaymentGateway
) -> Job:
    return outbox_processor(
        PostgresOutbox(pool),
        outbox_handlers(
            pool,
            seating.order_locks,
            gateway,
            refund_late_payments=settings.refund_late_payments,
        ),
        OutboxPolicy(
            batch_size=settings.outbox_batch_size,
            lease=timedelta(seconds=settings.outbox_lease_seconds),
            max_attempts=settings.outbox_max_attempts,
            backoff_base_seconds=settings.outbox_backoff_base_seconds,
            backoff_max_seconds=settings.outbox_backoff_max_seconds,
        ),
        interval_seconds=settings.outbox_interval_seconds,
    )
