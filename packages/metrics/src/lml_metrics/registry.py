"""One registry per process, so every package's metrics appear on the same ``/metrics``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import CollectorRegistry, generate_latest, start_http_server
from prometheus_client.exposition import CONTENT_TYPE_LATEST

REGISTRY = CollectorRegistry(auto_describe=True)
CONTENT_TYPE = CONTENT_TYPE_LATEST


def render() -> bytes:
    """The registry in the Prometheus text exposition format."""
    return generate_latest(REGISTRY)


@contextmanager
def metrics_listener(host: str, port: int) -> Iterator[int]:
    """Serve the registry on ``http://host:port/metrics`` from a thread of its own (the
    prometheus_client exporter), apart from the public port; yields the bound port."""
    server, thread = start_http_server(port, host, registry=REGISTRY)
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
