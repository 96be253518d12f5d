"""The composition root: ``create_app`` builds the Litestar app and its lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from litestar import Litestar, Router
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.routes import HTTPRoute

from lml_api.access import PUBLIC, AccessMiddleware, current_principal, declared_access
from lml_api.allowed_methods import AllowedMethods, allowed_by_path
from lml_api.container import Container, container_of, open_container
from lml_api.cross_origin_reads import CrossOriginReads
from lml_api.hostile_input import HostileInputMiddleware
from lml_api.idempotency import IdempotencyMiddleware
from lml_api.oauth.token_route import issue_token
from lml_api.openapi_contract import document_contract
from lml_api.problems import EXCEPTION_HANDLERS
from lml_api.rate_limiting import UNLIMITED, RateLimitMiddleware
from lml_api.readiness import CachedReadiness
from lml_api.request_context import RequestContextMiddleware
from lml_api.routes import (
    availability,
    availability_stream,
    availability_tickets,
    catalog,
    holds,
    identity,
    orders,
    payments,
    platform,
)
from lml_api.routes.platform import SERVICE_VERSION
from lml_api.streaming.direct import CaptureConnections
from lml_config import Settings, load_settings


def create_app(container: Container | None = None, settings: Settings | None = None) -> Litestar:
    """The API. Given no container, it connects to the configured servers at start-up."""
    settings = container.settings if container else settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.started_at = datetime.now(UTC)
        app.state.container = container or await open_container(settings)
        app.state.readiness = CachedReadiness(
            app.state.container.checks, settings.dependency_timeout_seconds
        )
        try:
            yield
        finally:
            if container is None:
                await app.state.container.aclose()

    app = Litestar(
        route_handlers=[
            *platform.ROUTES,
            issue_token,
            *identity.ROUTES,
            *catalog.ROUTES,
            *holds.ROUTES,
            *orders.ROUTES,
            *payments.ROUTES,
            *(payments.DEV_ROUTES if delivers_fake_payments(settings) else []),
            *availability.ROUTES,
            *availability_stream.ROUTES,
            *availability_tickets.ROUTES,
        ],
        middleware=[
            AccessMiddleware(),
            RateLimitMiddleware(),
            HostileInputMiddleware(),
            IdempotencyMiddleware(),
        ],
        dependencies={
            "principal": Provide(current_principal, sync_to_thread=False),
            "container": Provide(container_of, sync_to_thread=False),
        },
        lifespan=[lifespan],
        exception_handlers=EXCEPTION_HANDLERS,
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="LML API",
            version=SERVICE_VERSION,
            description="Seats and general admission for live events. See API.md.",
            path="/schema",
            openapi_router=Router("/schema", route_handlers=[], opt=PUBLIC | UNLIMITED),
        ),
        debug=False,
        # Logging is the process's (lml_logging's JSON lines), not Litestar's to replace.
        logging_config=None,
    )
    # Wrapping the exception-handled router (not registering app middleware, which runs
    # only for matched routes) lets the request context see 404s and 405s too, and puts
    # CORS headers on the availability routes' refusals as on their answers.
    # Outermost, CaptureConnections lets the availability stream write frames straight to
    # its subscribers' connections (lml_api.streaming.direct).
    app.asgi_handler = CaptureConnections(
        CrossOriginReads(
            RequestContextMiddleware(AllowedMethods(app.asgi_handler, allowed_by_path(app)))
        )
    )
    require_declared_access(app)
    document_contract(app, settings)
    return app


def delivers_fake_payments(settings: Settings) -> bool:
    """The development route that plays Stripe exists only with the fake gateway, never in
    production: with real Stripe, only Stripe's deliveries may say a payment succeeded."""
    return settings.uses_fake_gateway and not settings.is_production


def require_declared_access(app: Litestar) -> None:
    """Refuse to build an app with a route that says nothing about who may call it."""
    undeclared = sorted(
        f"{method} {route.path}"
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        if declared_access(handler) is None
        for method in handler.http_methods
    )
    if undeclared:
        raise RuntimeError(f"routes without a declared access: {', '.join(undeclared)}")
