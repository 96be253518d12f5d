"""Request-scoped fields (request id, tenant, route, trace id) held in a context variable."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import msgspec


class LogContext(msgspec.Struct, frozen=True, omit_defaults=True):
    request_id: str | None = None
    tenant_id: str | None = None
    route: str | None = None
    trace_id: str | None = None


_context: ContextVar[LogContext] = ContextVar("lml_log_context", default=LogContext())


def current() -> LogContext:
    return _context.get()


@contextmanager
def bind(**fields: str | None) -> Iterator[LogContext]:
    """Add fields to the log context for the duration of the block."""
    token = _context.set(msgspec.structs.replace(_context.get(), **fields))
    try:
        yield _context.get()
    finally:
        _context.reset(token)
