"""Rate limits on every matched route: spend the caller's budget and say what is left of it.

It runs after the access middleware, so an authenticated request spends its
organisation's budget and a public one its client address's. A request that
fails authentication is answered before it gets here and spends only its client
address's budget for refused tokens (``access.throttle_unauthenticated``).
"""

from __future__ import annotations

from typing import Any, cast

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send

from lml_api.access import principal_of
from lml_api.client_address import client_address
from lml_api.container import container_of
from lml_api.problems import ProblemError
from lml_ratelimit import rate_limit_headers, rate_limit_key

SKIP_RATE_LIMIT = "skip_rate_limit"
# Route ``opt`` for the platform probes, merged with their access: ``opt=PUBLIC | UNLIMITED``.
UNLIMITED: dict[str, Any] = {SKIP_RATE_LIMIT: True}


class RateLimitMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)
    exclude_opt_key = SKIP_RATE_LIMIT

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        http_scope = cast("HTTPScope", scope)
        container = container_of(http_scope)
        method = http_scope["method"]
        route = http_scope["path_template"]
        principal = principal_of(scope)
        if principal is None:
            address = client_address(http_scope, container.settings.trust_forwarded_for)
            key = rate_limit_key("ip", address, route, method)
        else:
            key = rate_limit_key("org", principal.org_id, route, method)
        policy = container.budgets.policy_for(method, route)
        decision = await container.rate_limiter.hit(key, policy)
        headers = rate_limit_headers(policy, decision)
        if not decision.allowed:
            retry_after = dict(headers)["Retry-After"]
            raise ProblemError(
                "rate-limited",
                f"The budget {policy.name!r} of {policy.quota} requests per "
                f"{policy.window_seconds} s is spent; retry in {retry_after} s.",
                headers=dict(headers),
            )
        encoded = [(name.lower().encode(), value.encode()) for name, value in headers]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *encoded]
            await send(message)

        await next_app(scope, receive, send_with_headers)
