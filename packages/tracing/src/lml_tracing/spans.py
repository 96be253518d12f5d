"""Spans around requests, use cases and driver calls, through the OpenTelemetry API only.

An operator who wants traces installs and configures an SDK; the code here never does.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from opentelemetry import trace
from opentelemetry.trace import Span

P = ParamSpec("P")
R = TypeVar("R")

tracer = trace.get_tracer("lml")

Attribute = str | int | float | bool


@contextmanager
def span(name: str, **attributes: Attribute) -> Iterator[Span]:
    """A span that records an escaping exception and marks itself as failed."""
    with tracer.start_as_current_span(name, attributes=attributes) as current:
        yield current


def traced(name: str) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
    """Wrap an async use case or adapter method in a span of that name."""

    def decorate(function: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        @functools.wraps(function)
        async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with span(name):
                return await function(*args, **kwargs)

        return wrapper

    return decorate


def current_trace_id() -> str | None:
    """The active trace id in hex, or None when no recording trace is active."""
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None
