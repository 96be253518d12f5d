"""Write the headers the middleware adds or reads into the OpenAPI document.

Litestar documents what handlers declare; the ``Idempotency-Key`` request header and the
rate-limit response headers belong to middleware, so they are added to the generated
document once, from the same route flags the middleware obey.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.spec import OpenAPIHeader, OpenAPIResponse, Operation, Parameter, Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.routes import HTTPRoute

from lml_api.access import declared_access
from lml_api.idempotency import SKIP_IDEMPOTENCY, applies_to
from lml_api.rate_limiting import SKIP_RATE_LIMIT

IDEMPOTENCY_KEY = Parameter(
    name="Idempotency-Key",
    param_in="header",
    required=False,
    schema=Schema(type=OpenAPIType.STRING, min_length=1, max_length=255),
    description="1 to 255 printable ASCII characters, bare or as an RFC 8941 string. A retry "
    "with the same key and body replays the first answer (`Idempotent-Replayed: true`); "
    "while the first is in flight the answer is 202; another body is 409 "
    "`idempotency-key-reuse`.",
)


def _integer_header(description: str) -> OpenAPIHeader:
    return OpenAPIHeader(schema=Schema(type=OpenAPIType.INTEGER), description=description)


def _string_header(description: str) -> OpenAPIHeader:
    return OpenAPIHeader(schema=Schema(type=OpenAPIType.STRING), description=description)


RATE_LIMIT_HEADERS = {
    "X-RateLimit-Limit": _integer_header("The budget's quota."),
    "X-RateLimit-Remaining": _integer_header("What is left of it."),
    "X-RateLimit-Reset": _integer_header("Seconds until the whole quota is back."),
    "RateLimit-Policy": _string_header('IETF form: "<policy>";q=<quota>;w=<window seconds>.'),
    "RateLimit": _string_header('IETF form: "<policy>";r=<remaining>;t=<seconds>.'),
}
RATE_LIMITED = OpenAPIResponse(
    description="Budget spent (Problem Details `rate-limited`); retry after `Retry-After` seconds.",
    headers={**RATE_LIMIT_HEADERS, "Retry-After": _integer_header("Seconds to wait.")},
)


def document_middleware_headers(app: Litestar) -> None:
    schema = app.openapi_schema
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path_format not in (schema.paths or {}):
            continue
        item = schema.paths[route.path_format]  # type: ignore[index]
        for handler in route.route_handlers:
            for method in handler.http_methods:
                operation = getattr(item, method.lower(), None)
                if isinstance(operation, Operation):
                    _document(operation, handler, method, route.path_format)


def _document(operation: Operation, handler: HTTPRouteHandler, method: str, path: str) -> None:
    access = declared_access(handler)
    # Anonymous callers' keys are not honoured (they would share one key space).
    authenticated = access is not None and not access.public
    if authenticated and applies_to(method, path) and not handler.opt.get(SKIP_IDEMPOTENCY):
        operation.parameters = [*(operation.parameters or []), IDEMPOTENCY_KEY]
    if handler.opt.get(SKIP_RATE_LIMIT):
        return
    responses = operation.responses or {}
    for response in responses.values():
        if isinstance(response, OpenAPIResponse):
            response.headers = {**(response.headers or {}), **RATE_LIMIT_HEADERS}
    responses["429"] = RATE_LIMITED
    operation.responses = responses
