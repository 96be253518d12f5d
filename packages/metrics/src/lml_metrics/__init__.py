"""The process's one Prometheus registry and the HTTP metrics every app records."""

from lml_metrics.children import Children
from lml_metrics.http import HTTP_REQUEST_SECONDS, HTTP_REQUESTS, observe_request
from lml_metrics.registry import CONTENT_TYPE, REGISTRY, metrics_listener, render
from lml_metrics.tenants import BoundedLabels, observe_tenant_request

__all__ = [
    "CONTENT_TYPE",
    "HTTP_REQUESTS",
    "HTTP_REQUEST_SECONDS",
    "REGISTRY",
    "BoundedLabels",
    "Children",
    "metrics_listener",
    "observe_request",
    "observe_tenant_request",
    "render",
]
