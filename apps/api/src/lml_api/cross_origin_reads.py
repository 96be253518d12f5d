"""CORS for the routes a browser page reads availability through, and only those.

A route whose access accepts read tickets answers a request from one of
``LML_AVAILABILITY_CORS_ORIGINS`` with ``Access-Control-Allow-Origin`` naming that
origin; every other origin, and every other route, gets no CORS header at all. It wraps
the exception-handled router, so refusals (a bad ticket's 401) carry the header too and
the page can read them: by the time a response starts, the router has put the matched
route on the scope.
"""

from __future__ import annotations

from functools import cache

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from lml_api.access import declared_access
from lml_api.container import container_of


@cache
def allowed_origins(setting: str) -> frozenset[str]:
    """Parsed once per setting value, not for every response with an ``Origin``."""
    return frozenset(origin.strip() for origin in setting.split(",") if origin.strip())


class CrossOriginReads:
    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        origin = None
        if scope["type"] == ScopeType.HTTP:
            origin = next(
                (value.decode("latin-1") for name, value in scope["headers"] if name == b"origin"),
                None,
            )
        if origin is None:
            await self._app(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start" and _reads_for(scope, origin):
                headers = MutableScopeHeaders.from_message(message)
                headers["Access-Control-Allow-Origin"] = origin
                headers.add("Vary", "Origin")
            await send(message)

        await self._app(scope, receive, send_with_cors)


def _reads_for(scope: Scope, origin: str) -> bool:
    handler = scope.get("route_handler")
    access = None if handler is None else declared_access(handler)
    if access is None or not access.tickets:
        return False
    return origin in allowed_origins(container_of(scope).settings.availability_cors_origins)
