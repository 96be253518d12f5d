"""Who may call a route: every route declares its access, and one guard enforces it.

A route is either public or requires one scope. The access middleware authenticates
the bearer token, checks ``X-Org-ID`` against the token's organisation, checks the
scope, and puts the principal on the connection for the later middleware, the
handler and the request context.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.enums import HttpMethod, ScopeType
from litestar.handlers import HTTPRouteHandler
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, HTTPScope, Receive, Scope, Send

from lml_api.client_address import client_address
from lml_api.container import container_of
from lml_api.problems import ProblemError
from lml_api.streaming.metrics import TICKETS
from lml_api.tokens import CachingVerifier
from lml_auth import Principal
from lml_logging import update
from lml_ratelimit import Policy, rate_limit_headers, rate_limit_key
from lml_result import Err, Ok

REALM = 'Bearer realm="lml"'
PRINCIPAL = "lml_principal"
UNAUTHENTICATED_WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Access:
    scope: str | None
    # Whether a read ticket (``?ticket=``, lml_api.read_tickets) for the event in the path
    # may stand in for the bearer token.
    tickets: bool = False

    @property
    def public(self) -> bool:
        return self.scope is None


PUBLIC: dict[str, Any] = {"access": Access(scope=None)}


def requires(scope: str, *, tickets: bool = False) -> dict[str, Any]:
    """Route ``opt`` declaring the scope a token needs: ``@get(path, opt=requires(...))``."""
    return {"access": Access(scope=scope, tickets=tickets)}


def declared_access(handler: BaseRouteHandler) -> Access | None:
    # Litestar answers OPTIONS for every path itself; those reveal only the allowed methods.
    # Checked first: the handler inherits its controller's ``opt``, so OPTIONS on a path of
    # a controller that declares one scope (the holds) asked for a token.
    if isinstance(handler, HTTPRouteHandler) and handler.http_methods == {HttpMethod.OPTIONS}:
        return Access(scope=None)
    access = handler.opt.get("access")
    if isinstance(access, Access):
        return access
    return None


def bearer_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def authenticate(
    connection: ASGIConnection[Any, Any, Any, Any], verifier: CachingVerifier
) -> Principal:
    token = bearer_token(connection)
    if token is None:
        raise ProblemError(
            "unauthenticated",
            "This route needs a bearer token in the Authorization header.",
            headers={"WWW-Authenticate": REALM},
        )
    match verifier.verify(token):
        case Ok(principal):
            return principal
        case Err(rejected):
            raise ProblemError(
                "unauthenticated",
                f"The bearer token was rejected ({rejected.reason}).",
                headers={
                    "WWW-Authenticate": f'{REALM}, error="invalid_token", '
                    f'error_description="{rejected.reason}"'
                },
            )


async def redeem_ticket(connection: ASGIConnection[Any, Any, Any, Any], ticket: str) -> Principal:
    event_id = str(connection.path_params.get("event_id", ""))
    principal = await container_of(connection.scope).read_tickets.redeem(ticket, event_id)
    if principal is None:
        TICKETS.labels("refused").inc()
        raise ProblemError(
            "unauthenticated",
            "The read ticket is unknown, has expired, or is for another event.",
            headers={"WWW-Authenticate": REALM},
        )
    return principal


async def authorize(connection: ASGIConnection[Any, Any, Any, Any], access: Access) -> Principal:
    """Authenticate the caller and check organisation and scope, or raise the problem."""
    ticket = connection.query_params.get("ticket")
    if access.tickets and ticket is not None and bearer_token(connection) is None:
        principal = await redeem_ticket(connection, ticket)
    else:
        principal = authenticate(connection, container_of(connection.scope).tokens.verifier)
    claimed_org = connection.headers.get("x-org-id")
    if claimed_org is not None and claimed_org != principal.org_id:
        raise ProblemError(
            "org-mismatch", "X-Org-ID names another organisation than the bearer token's."
        )
    if access.scope not in principal.scopes:
        raise ProblemError(
            "insufficient-scope",
            f"This route needs the {access.scope} scope.",
            headers={
                "WWW-Authenticate": f'{REALM}, error="insufficient_scope", scope="{access.scope}"'
            },
            required_scope=access.scope,
        )
    return principal


class AccessMiddleware(ASGIMiddleware):
    """First on every matched route, so rate limits and idempotency know the caller."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        access = declared_access(scope["route_handler"])
        if access is None:
            raise RuntimeError(f"route {scope['path']} declares no access")
        if not access.public:
            try:
                principal = await authorize(ASGIConnection(scope, receive, send), access)
            except ProblemError as refused:
                if refused.slug == "unauthenticated":
                    await throttle_unauthenticated(cast("HTTPScope", scope))
                raise
            scope[PRINCIPAL] = principal  # type: ignore[literal-required]
            update(tenant_id=principal.org_id)
        await next_app(scope, receive, send)


async def throttle_unauthenticated(scope: HTTPScope) -> None:
    """Spend the client address's budget for refused tokens; 429 once it is spent.

    Failed authentication spends no organisation's budget (it names none), so
    without this a flood of bad tokens would be limited by nothing.
    """
    container = container_of(scope)
    settings = container.settings
    policy = Policy(
        name="unauthenticated",
        quota=settings.unauthenticated_attempts_per_ip,
        window_seconds=UNAUTHENTICATED_WINDOW_SECONDS,
    )
    address = client_address(scope, settings.trust_forwarded_for)
    key = rate_limit_key("ip", address, policy.name, "*")
    decision = await container.rate_limiter.hit(key, policy)
    if not decision.allowed:
        raise ProblemError(
            "rate-limited",
            "Too many requests without a valid token from this address; retry later.",
            headers=dict(rate_limit_headers(policy, decision)),
        )


def principal_of(scope: Scope) -> Principal | None:
    principal = scope.get(PRINCIPAL)
    return principal if isinstance(principal, Principal) else None


def current_principal(request: Request[Any, Any, Any]) -> Principal:
    """Dependency for handlers behind a scope: the authenticated caller."""
    principal: Principal = request.scope[PRINCIPAL]  # type: ignore[literal-required]
    return principal
