from collections.abc import Iterator

import pytest
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

from lml_tracing import current_trace_id, span, traced


@pytest.fixture
def remote_parent() -> Iterator[int]:
    """A valid span context in scope, as an incoming traceparent header would give."""
    trace_id = 0x4BF92F3577B34DA6A3CE929D0E0E4736
    context = SpanContext(trace_id, 0x00F067AA0BA902B7, is_remote=True, trace_flags=TraceFlags(1))
    with trace.use_span(NonRecordingSpan(context)):
        yield trace_id


def test_given_no_trace_when_asked_then_there_is_no_trace_id() -> None:
    assert current_trace_id() is None


def test_given_a_parent_context_when_asked_then_the_trace_id_is_its_hex(
    remote_parent: int,
) -> None:
    assert current_trace_id() == "4bf92f3577b34da6a3ce929d0e0e4736"


def test_given_no_sdk_when_spanning_then_the_block_runs_and_errors_propagate() -> None:
    with span("use_case", tenant="org_a") as current:
        assert current is not None
    with pytest.raises(ValueError, match="bad"), span("failing"):
        raise ValueError("bad")


async def test_given_a_traced_coroutine_when_awaited_then_its_result_passes_through() -> None:
    @traced("hold_seats")
    async def hold(count: int) -> int:
        return count * 2

    assert await hold(2) == 4
    assert hold.__name__ == "hold"
