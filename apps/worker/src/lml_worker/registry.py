"""Every job the worker runs, on one set of seating adapters (one lock store, one inventory
batcher) for the process, as the API has."""

from __future__ import annotations

from lml_config import Settings
from lml_connections import Connections, probes
from lml_payments.application import PaymentGateway
from lml_seating.infrastructure.adapters import redis_seating
from lml_worker.dependency_probe import dependency_probe
from lml_worker.hold_sweeper import redis_hold_sweeper
from lml_worker.jobs import Job
from lml_worker.order_expirer import postgres_order_expirer
from lml_worker.outbox_job import postgres_outbox_processor


def registered_jobs(
    settings: Settings, connections: Connections, gateway: PaymentGateway
) -> list[Job]:
    pool = connections.pool
    seating = redis_seating(pool, connections.redis, settings)
    return [
        dependency_probe(probes(connections), timeout_seconds=settings.dependency_timeout_seconds),
        redis_hold_sweeper(settings, seating),
        postgres_order_expirer(settings, pool, seating),
        postgres_outbox_processor(settings, pool, seating, gateway),
    ]
