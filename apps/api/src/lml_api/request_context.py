"""Outermost ASGI layer: request id, log context, trace span, metrics and the access log.

It wraps Litestar's exception-handled router, so it sees every answer, 404s and
405s included, with its final status.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from lml_api.access import principal_of
from lml_logging import bind, update
from lml_metrics import observe_request, observe_tenant_request
from lml_tracing import current_trace_id, span

log = logging.getLogger("lml.access")

REQUEST_ID_HEADER = b"x-request-id"
VALID_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:-]{1,128}")
UNMATCHED_ROUTE = "<unmatched>"


def request_id_from(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER and VALID_REQUEST_ID.fullmatch(value):
            return value.decode()
    return uuid.uuid4().hex


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope)
        method = scope["method"]
        status = 500
        started = time.perf_counter()

        async def send_with_request_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", ()),
                    (REQUEST_ID_HEADER, request_id.encode()),
                ]
            await send(message)

        with bind(request_id=request_id), span(f"HTTP {method}") as http_span:
            update(trace_id=current_trace_id())
            try:
                await self.app(scope, receive, send_with_request_id)
            finally:
                route = scope.get("path_template") or UNMATCHED_ROUTE
                seconds = time.perf_counter() - started
                http_span.update_name(f"HTTP {method} {route}")
                http_span.set_attribute("http.route", route)
                http_span.set_attribute("http.response.status_code", status)
                observe_request(route, method, status, seconds)
                principal = principal_of(scope)
                if principal is not None:
                    observe_tenant_request(principal.org_id, status)
                update(route=route)
                # Checked first so a disabled access log costs neither the dict nor the rounding.
                if log.isEnabledFor(logging.INFO):
                    log.info(
                        "request answered",
                        extra={
                            "method": method,
                            "status": status,
                            "duration_ms": round(seconds * 1000, 2),
                        },
                    )
