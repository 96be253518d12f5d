"""OpenTelemetry API spans; without an SDK configured they cost next to nothing."""

from lml_tracing.spans import current_trace_id, span, traced, tracer

__all__ = ["current_trace_id", "span", "traced", "tracer"]
