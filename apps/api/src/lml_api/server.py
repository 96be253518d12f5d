"""Serve an ASGI app with uvicorn so that SIGTERM lets in-flight requests finish."""

from __future__ import annotations

import math

import uvicorn
from litestar.types import ASGIApp

from lml_config import Settings


def build_server(app: ASGIApp, settings: Settings, *, port: int | None = None) -> uvicorn.Server:
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port if port is None else port,
        lifespan="on",
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=math.ceil(settings.shutdown_grace_seconds),
        server_header=False,
        # The client address is the peer's unless LML_TRUST_FORWARDED_FOR says otherwise
        # (lml_api.client_address); uvicorn would take X-Forwarded-For from any local peer.
        proxy_headers=False,
    )
    return uvicorn.Server(config)
