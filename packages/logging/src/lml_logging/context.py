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


# LogContext is frozen, so one shared default instance is safe.
_context: ContextVar[LogContext] = ContextVar(
    "lml_log_context",
    default=LogContext(),  # noqa: B039
)


def current() -> LogContext:
    return _context.get()


def update(**fields: str | None) -> None:
    """Add fields to the current context until the enclosing ``bind`` block ends.

    For code that learns a field mid-request (the auth guard learns the tenant) and
    runs inside the request middleware's ``bind`` block, which restores the outer
    context when the request ends.
    """
    _context.set(msgspec.structs.replace(_context.get(), **fields))


@contextmanager
def bind(**fields: str | None) -> Iterator[LogContext]:
    """Add fields to the log context for the duration of the block."""
    token = _context.set(msgspec.structs.replace(_context.get(), **fields))
    try:
        yield _context.get()
    finally:
        _context.reset(token)
