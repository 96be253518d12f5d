"""Requests per tenant, with a bounded number of tenant labels.

Every distinct label value is a time series; an unbounded tenant label would grow
with the customer base. The first ``limit`` tenants seen by the process keep their
own series and the rest share ``other``.
"""

from __future__ import annotations

import threading

from prometheus_client import Counter

from lml_metrics.children import Children
from lml_metrics.registry import REGISTRY

OTHER = "other"
DEFAULT_LIMIT = 100

TENANT_REQUESTS = Counter(
    "lml_http_tenant_requests_total",
    "HTTP requests of authenticated callers, by tenant (bounded) and status class.",
    ("tenant", "status_class"),
    registry=REGISTRY,
)


class BoundedLabels:
    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = limit
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def label(self, value: str) -> str:
        with self._lock:
            if value in self._seen:
                return value
            if len(self._seen) < self.limit:
                self._seen.add(value)
                return value
        return OTHER


_tenant_labels = BoundedLabels()
# Bounded as the series are: tenant labels go through BoundedLabels.
_tenant_requests = Children(TENANT_REQUESTS)


def observe_tenant_request(
    tenant: str, status: int, labels: BoundedLabels = _tenant_labels
) -> None:
    _tenant_requests.labels(labels.label(tenant), f"{status // 100}xx").inc()
