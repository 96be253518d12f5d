"""The transactional outbox: work written in the transaction that makes it due, applied
after the commit by the worker, exactly once (docs/decisions/0012-outbox.md)."""

from lml_outbox.backoff import retry_delay
from lml_outbox.postgres_outbox import (
    DeadLetter,
    Handler,
    OutboxMessage,
    PostgresOutbox,
    enqueue,
    enqueuing,
)

__all__ = [
    "DeadLetter",
    "Handler",
    "OutboxMessage",
    "PostgresOutbox",
    "enqueue",
    "enqueuing",
    "retry_delay",
]
