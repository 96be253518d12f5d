"""``Allow`` on an ``OPTIONS`` answer lists exactly the methods its path has.

Litestar's own ``OPTIONS`` handler lists the methods of the route object that made it, and
when several handlers of one path are merged into one route, that can be an earlier object
with fewer methods (``OPTIONS /v1/events`` said ``OPTIONS, POST``, without ``GET``). The
405 answer already lists the merged route's methods; this makes ``OPTIONS`` agree with it.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.enums import HttpMethod, ScopeType
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute
from litestar.types import ASGIApp, Message, Receive, Scope, Send


def allowed_by_path(app: Litestar) -> dict[str, str]:
    return {
        route.path: ", ".join(sorted(route.methods))
        for route in app.routes
        if isinstance(route, HTTPRoute)
    }


class AllowedMethods:
    def __init__(self, app: ASGIApp, allowed: dict[str, str]) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] != HttpMethod.OPTIONS:
            await self.app(scope, receive, send)
            return

        async def send_allowed(message: Message) -> None:
            if message["type"] == "http.response.start":
                allow = self._allow_of(scope)
                if allow is not None:
                    sent = list(message.get("headers", []))
                    headers = [(k, v) for k, v in sent if k.lower() != b"allow"]
                    if len(headers) != len(sent):
                        headers.append((b"allow", allow.encode()))
                        message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_allowed)

    def _allow_of(self, scope: Scope) -> str | None:
        handler = scope.get("route_handler")
        if not isinstance(handler, HTTPRouteHandler):
            return None
        for path in handler.paths:
            if path in self.allowed:
                return self.allowed[path]
        return None
