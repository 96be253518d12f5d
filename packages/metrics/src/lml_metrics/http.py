"""HTTP request count and latency, labelled by route template (never the raw path)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from lml_metrics.registry import REGISTRY

LABELS = ("route", "method", "status")

HTTP_REQUESTS = Counter(
    "lml_http_requests_total",
    "HTTP requests answered, by route template, method and status.",
    LABELS,
    registry=REGISTRY,
)
HTTP_REQUEST_SECONDS = Histogram(
    "lml_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template, method and status.",
    LABELS,
    registry=REGISTRY,
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)


# Both children per (route, method, status); routes are templates, so the set is bounded.
_children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    key = (route, method, status)
    children = _children.get(key)
    if children is None:
        labels = (route, method, str(status))
        children = _children[key] = (
            HTTP_REQUESTS.labels(*labels),
            HTTP_REQUEST_SECONDS.labels(*labels),
        )
    children[0].inc()
    children[1].observe(seconds)
