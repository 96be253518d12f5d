"""The OpenAPI document as the contract: everything an operation can answer, derived once.

Litestar documents what handlers declare: their parameters, bodies and success answers.
Everything else an operation can answer comes from what the app already declares, in one
place here, so the document and the server cannot drift apart route by route:

- its access (``lml_api.access``): the security requirement and scope, 401 and 403;
- its path, query and body: 404 for a path id, 400, 413 and 422 for what it reads;
- the middleware it runs under: ``Idempotency-Key`` (202 in flight, 409 reuse, the
  ``Idempotent-Replayed`` mark), rate limits (429 and the ``RateLimit`` headers), the
  request id (``X-Request-ID`` on every answer);
- the outcomes its use cases return (``ROUTE_PROBLEMS``, checked against the problem
  catalogue and the routes by tests), each as ``application/problem+json`` with the
  ``type`` slugs its status can carry and their extension members.

Request bodies' and answers' schemas are msgspec's own (``msgspec.json.schema_components``),
so they say exactly what the decoder accepts: lengths, patterns, bounds, and
``additionalProperties: false`` for structs that forbid unknown fields.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast, get_args, get_origin

import msgspec
from litestar import Litestar
from litestar.enums import ParamType
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.spec import Operation, Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.routes import HTTPRoute

from lml_api.access import Access, declared_access
from lml_api.idempotency import SKIP_IDEMPOTENCY, applies_to
from lml_api.problems import CATALOGUE
from lml_api.problems.responses import MEDIA_TYPE as PROBLEM_MEDIA_TYPE
from lml_api.rate_limiting import SKIP_RATE_LIMIT
from lml_api.routes.availability_stream import Resync
from lml_auth import Scope
from lml_catalog.domain import SEATMAP_ID
from lml_catalog.domain.events import CURRENCY, MAX_AMOUNT, MAX_SEATS_PER_HOLD
from lml_catalog.domain.seatmaps import MAX_ID_LENGTH, MAX_NAME_LENGTH
from lml_config import Settings
from lml_seating.domain.events import (
    SEATS_HELD,
    SEATS_RELEASED,
    SEATS_SOLD,
    ZONE_UPDATED,
    SeatsHeld,
    SeatsReleased,
    SeatsSold,
    ZoneUpdated,
)
from lml_seating.domain.stream_ids import STREAM_ID

OAUTH2 = "oauth2"
READ_TICKET = "readTicket"
TOKEN_URL = "/v1/oauth/token"  # noqa: S105 (a path, not a secret)
OAUTH_ROUTE = ("POST", TOKEN_URL)
STRIPE_WEBHOOK = ("POST", "/v1/webhooks/stripe")

SCOPE_DESCRIPTIONS: dict[str, str] = {
    Scope.IDENTITY_ME_READ: "Read the signed-in user.",
    Scope.VENUES_READ: "Read venues and their seatmaps.",
    Scope.VENUES_WRITE: "Create venues and upload seatmaps.",
    Scope.EVENTS_WRITE: "Create events.",
    Scope.INVENTORY_READ: "Read events and their availability.",
    Scope.INVENTORY_HOLDS_WRITE: "Hold, extend and release seats and GA places.",
    Scope.ORDERS_READ: "Read orders.",
    Scope.ORDERS_WRITE: "Place, cancel and pay for orders.",
}

# The outcomes an operation's use cases answer with, beyond what its access, parameters and
# middleware already imply (lml_api.problems.*_outcomes say which slug each outcome is).
ROUTE_PROBLEMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("GET", "/v1/users/me"): ("not-found",),
    ("POST", "/v1/venues"): (),
    ("PUT", "/v1/venues/{venue_id}/seatmaps/{seatmap_id}"): ("payload-too-large",),
    ("POST", "/v1/events"): ("not-found",),
    ("POST", "/v1/holds"): ("not-found", "seat-conflict", "hold-limit-exceeded"),
    ("PATCH", "/v1/holds/{hold_id}"): ("precondition-failed", "hold-limit-exceeded"),
    ("DELETE", "/v1/holds/{hold_id}"): ("precondition-failed",),
    ("POST", "/v1/orders"): ("not-found", "precondition-failed", "hold-expired", "hold-converted"),
    ("POST", "/v1/orders/{order_id}/cancel"): ("order-status-conflict",),
    ("POST", "/v1/orders/{order_id}/payment-intent"): ("order-not-payable", "payment-refused"),
    ("POST", "/v1/webhooks/stripe"): ("invalid-signature",),
    # `outcome` is one of four words; another is 422.
    ("POST", "/v1/dev/payments/{order_id}/{outcome}"): ("validation-error",),
}

# Response headers the handlers set themselves, by operation and status.
ROUTE_HEADERS: dict[tuple[str, str], dict[int, tuple[str, ...]]] = {
    ("POST", "/v1/venues"): {201: ("Location",)},
    ("PUT", "/v1/venues/{venue_id}/seatmaps/{seatmap_id}"): {201: ("Location",)},
    ("POST", "/v1/events"): {201: ("Location",)},
    ("POST", "/v1/holds"): {201: ("Location", "ETag")},
    ("PATCH", "/v1/holds/{hold_id}"): {200: ("ETag",)},
    ("POST", "/v1/orders"): {201: ("Location",)},
}


def _operation(method: str, path: str) -> str:
    return "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method.lower()


def _link(method: str, path: str, description: str, **parameters: str) -> dict[str, Any]:
    return {
        "operationRef": _operation(method, path),
        "description": description,
        "parameters": parameters,
    }


VENUE = "/v1/venues/{venue_id}"
SEATMAP = "/v1/venues/{venue_id}/seatmaps/{seatmap_id}"
EVENT = "/v1/events/{event_id}"
HOLD = "/v1/holds/{hold_id}"
ORDER = "/v1/orders/{order_id}"
# What a created resource leads to, for clients and for schemathesis' stateful phase.
LINKS: dict[tuple[str, str, int], dict[str, dict[str, Any]]] = {
    ("POST", "/v1/venues", 201): {
        "GetVenue": _link("GET", VENUE, "The venue.", venue_id="$response.body#/id"),
        "PutSeatmap": _link(
            "PUT", SEATMAP, "Upload the venue's seatmap.", venue_id="$response.body#/id"
        ),
    },
    ("PUT", SEATMAP, 201): {
        "GetSeatmap": _link(
            "GET",
            SEATMAP,
            "The seatmap.",
            venue_id="$response.body#/venue_id",
            seatmap_id="$response.body#/id",
        ),
    },
    ("POST", "/v1/events", 201): {
        "GetEvent": _link("GET", EVENT, "The event.", event_id="$response.body#/id"),
        "GetAvailability": _link(
            "GET", EVENT + "/availability", "Its availability.", event_id="$response.body#/id"
        ),
        "IssueReadTicket": _link(
            "POST", EVENT + "/availability/tickets", "A read ticket.", event_id="$response.body#/id"
        ),
    },
    ("POST", "/v1/holds", 201): {
        "GetHold": _link("GET", HOLD, "The hold.", hold_id="$response.body#/id"),
        "ExtendHold": _link(
            "PATCH",
            HOLD,
            "Extend it with its token.",
            hold_id="$response.body#/id",
            **{"header.If-Match": "$response.header.ETag"},
        ),
        "ReleaseHold": _link(
            "DELETE",
            HOLD,
            "Release it with its token.",
            hold_id="$response.body#/id",
            **{"header.If-Match": "$response.header.ETag"},
        ),
    },
    ("POST", "/v1/orders", 201): {
        "GetOrder": _link("GET", ORDER, "The order.", order_id="$response.body#/id"),
        "CancelOrder": _link(
            "POST", ORDER + "/cancel", "Cancel it.", order_id="$response.body#/id"
        ),
        "PayOrder": _link(
            "POST", ORDER + "/payment-intent", "Its payment intent.", order_id="$response.body#/id"
        ),
    },
}


def _string(**constraints: Any) -> dict[str, Any]:
    return {"type": "string", **constraints}


STRING_LIST = {"type": "array", "items": {"type": "string"}}
# The extension members each problem type carries, beside type, title, status, detail, instance.
EXTENSIONS: dict[str, dict[str, Any]] = {
    "validation-error": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": _string(), "message": _string()},
                "required": ["field", "message"],
            },
        }
    },
    "seat-conflict": {"conflicting_seats": STRING_LIST, "conflicting_zones": STRING_LIST},
    "insufficient-scope": {"required_scope": _string(enum=sorted(SCOPE_DESCRIPTIONS))},
    "hold-limit-exceeded": {
        "max_expires_at": _string(format="date-time"),
        "max_seats_per_hold": {"type": "integer", "minimum": 1},
    },
    "order-status-conflict": {
        "order_status": _string(enum=["pending", "paid", "expired", "canceled", "refunded"])
    },
    "payment-refused": {"provider_code": {"type": ["string", "null"]}},
    "dependency-unavailable": {
        "dependency": _string(enum=["postgresql", "redis", "mongodb", "stripe"])
    },
}
REQUIRED_EXTENSIONS: dict[str, list[str]] = {
    "validation-error": ["errors"],
    "seat-conflict": ["conflicting_seats", "conflicting_zones"],
    "insufficient-scope": ["required_scope"],
    "order-status-conflict": ["order_status"],
    "dependency-unavailable": ["dependency"],
}

HEADER_SCHEMAS: dict[str, tuple[dict[str, Any], str]] = {
    "X-Request-ID": (
        _string(pattern="^[A-Za-z0-9._:-]{1,128}$"),
        "The request's id: the client's `X-Request-ID` when it sent a valid one, else a new one.",
    ),
    "Retry-After": ({"type": "integer", "minimum": 0}, "Seconds to wait before retrying."),
    "Location": (_string(), "The new resource's path."),
    "ETag": (_string(), 'A strong entity tag; for a hold, its token: `"<hold_token>"`.'),
    "Idempotent-Replayed": (
        _string(enum=["true"]),
        "Present on an answer replayed for a retried `Idempotency-Key`.",
    ),
    "WWW-Authenticate": (_string(), "RFC 6750 challenge: why the token was refused."),
    "X-RateLimit-Limit": ({"type": "integer"}, "The budget's quota."),
    "X-RateLimit-Remaining": ({"type": "integer"}, "What is left of it."),
    "X-RateLimit-Reset": ({"type": "integer"}, "Seconds until the whole quota is back."),
    "RateLimit-Policy": (_string(), 'IETF form: "<policy>";q=<quota>;w=<window seconds>.'),
    "RateLimit": (_string(), 'IETF form: "<policy>";r=<remaining>;t=<seconds>.'),
}
RATE_LIMIT_HEADERS = (
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "RateLimit-Policy",
    "RateLimit",
)

IDEMPOTENCY_KEY_FORMS = (
    "^(?:[\\x21\\x23-\\x7e]([\\x20-\\x7e]*[\\x21-\\x7e])?"
    '|"(?:[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\x22\\x5c])+")$'
)
IDEMPOTENCY_KEY: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    # As lml_idempotency.parse_idempotency_key reads it: bare printable ASCII that does not
    # open a quote, or a whole RFC 8941 string (escapes only of a quote or a backslash).
    "schema": _string(minLength=1, maxLength=255, pattern=IDEMPOTENCY_KEY_FORMS),
    "description": "1 to 255 printable ASCII characters, bare or as an RFC 8941 string. A retry "
    "with the same key and body replays the first answer (`Idempotent-Replayed: true`); "
    "while the first is in flight the answer is 202; another body is 409 "
    "`idempotency-key-reuse`.",
}
REQUEST_ID: dict[str, Any] = {
    "name": "X-Request-ID",
    "in": "header",
    "required": False,
    # Any value is taken; one that is not 1 to 128 of [A-Za-z0-9._:-] is replaced, not refused.
    "schema": _string(),
    "description": "Your id for the request, echoed on the answer and in our logs when it is "
    "1 to 128 letters, digits, '.', '_', ':' or '-'; any other value is replaced by a new id.",
}
STRIPE_SIGNATURE: dict[str, Any] = {
    "name": "Stripe-Signature",
    "in": "header",
    "required": True,
    "schema": _string(),
    "description": "Stripe's signature of the raw body with the endpoint secret; missing, wrong "
    "or older than five minutes is 400 `invalid-signature`.",
}
# Answers a handler gives that are not Problem Details and that Litestar cannot see.
ROUTE_RESPONSES: dict[tuple[str, str], dict[str, Any]] = {
    ("GET", "/readyz"): {
        "503": {
            "description": "A dependency does not answer; the body says which checks pass.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}},
        }
    },
}
ORG_ID: dict[str, Any] = {
    "name": "X-Org-ID",
    "in": "header",
    "required": False,
    "schema": _string(),
    "description": "The organisation the caller means; another than the token's is 403 "
    "`org-mismatch`.",
}

PROBLEM_DETAILS: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 Problem Details; `GET {type}` describes the type.",
    "properties": {
        "type": _string(),
        "title": _string(),
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": _string(),
        "instance": _string(),
    },
    "required": ["type", "title", "status", "detail", "instance"],
}
OAUTH_ERROR: dict[str, Any] = {
    "type": "object",
    "description": "RFC 6749 section 5.2 error.",
    "properties": {
        "error": _string(
            enum=[
                "invalid_request",
                "invalid_client",
                "invalid_grant",
                "invalid_scope",
                "unauthorized_client",
                "unsupported_grant_type",
            ]
        ),
        "error_description": _string(),
    },
    "required": ["error", "error_description"],
}
IN_PROGRESS: dict[str, Any] = {
    "type": "object",
    "properties": {"status": _string(enum=["in_progress"])},
    "required": ["status"],
}


# What the domain checks beyond the wire types, said in JSON Schema beside msgspec's own
# constraints, from the domain's own constants. (A catalog id is also "printable"; JSON
# Schema cannot name Unicode categories, so the pattern keeps to control characters.)
CONTROL = "\\x00-\\x1f\\x7f-\\x9f"
# Python's \\s, spelled out: ECMA's \\s (which JSON Schema validators may use) differs.
SPACE = (
    "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680"
    "\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
)
# No string may carry NUL (lml_api.hostile_input refuses it: PostgreSQL cannot store it).
NO_NUL = "^[^\\x00]*$"
NO_NUL_NOTE = (
    "No string, in a body or a query, may contain NUL (U+0000): it is refused with 400 "
    "`bad-request`, and a NUL in a path id is 404."
)
NAME = {
    "type": "string",
    "minLength": 1,
    "maxLength": MAX_NAME_LENGTH,
    "pattern": f"^[^\\x00]*[^{SPACE}\\x00][^\\x00]*$",
}
CATALOG_ID = {
    "type": "string",
    "minLength": 1,
    "maxLength": MAX_ID_LENGTH,
    "pattern": f"^[^{SPACE}{CONTROL}]([^{CONTROL}]*[^{SPACE}{CONTROL}])?$",
}


def _anchored(pattern: str) -> str:
    return f"^{pattern}$"


# Without its capturing groups, which schemathesis' coverage phase does not follow in headers.
STREAM_ID_PATTERN = _anchored(STREAM_ID.pattern.replace("(", "").replace(")", ""))


def stricter_properties(settings: Settings) -> dict[tuple[str, str], dict[str, Any]]:
    ttl = {
        "anyOf": [
            {
                "type": "integer",
                "minimum": settings.hold_min_ttl_seconds,
                "maximum": settings.hold_max_ttl_seconds,
            },
            {"type": "null"},
        ]
    }
    return {
        ("NewVenue", "name"): NAME,
        ("NewEvent", "name"): NAME,
        ("NewEvent", "venue_id"): {"type": "string", "minLength": 1},
        ("NewEvent", "seatmap_id"): {"type": "string", "minLength": 1},
        ("NewEvent", "starts_at"): {"type": "string", "format": "date-time"},
        ("NewEvent", "currency"): {"type": "string", "pattern": _anchored(CURRENCY.pattern)},
        ("NewEvent", "max_seats_per_hold"): {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_SEATS_PER_HOLD,
            "default": 10,
        },
        ("PriceCategory", "id"): CATALOG_ID,
        ("PriceCategory", "name"): NAME,
        ("PriceCategory", "amount"): {"type": "integer", "minimum": 0, "maximum": MAX_AMOUNT},
        ("SalesChannel", "id"): CATALOG_ID,
        ("SalesChannel", "name"): NAME,
        ("NewHold", "ttl_seconds"): ttl,
        ("Extension", "ttl_seconds"): ttl,
        ("GaRequest", "quantity"): {"type": "integer", "minimum": 1},
        ("NewOrder", "hold_token"): {"type": "string", "minLength": 1},
        # lml_api.routes.orders.Email, with Python's \\s spelled out.
        ("BuyerIn", "email"): {
            "type": "string",
            "maxLength": 254,
            "pattern": f"^[^@{SPACE}\\x00]+@[^@{SPACE}\\x00]+$",
        },
    }


def tighten(schemas: dict[str, Any], settings: Settings) -> None:
    for schema in schemas.values():
        _forbid_nul(schema)
    for (component, name), rule in stricter_properties(settings).items():
        schemas[component]["properties"][name] = rule
    hold = schemas["NewHold"]
    hold["properties"]["seat_ids"]["uniqueItems"] = True
    # At least one seat or one GA place.
    hold["anyOf"] = [
        {"required": ["seat_ids"], "properties": {"seat_ids": {"minItems": 1}}},
        {"required": ["ga"], "properties": {"ga": {"minItems": 1}}},
    ]


def _forbid_nul(schema: Any) -> None:
    if isinstance(schema, list):
        for item in schema:
            _forbid_nul(item)
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "string" and not {"pattern", "enum", "format"} & set(schema):
        # Bounds in the pattern too, so generators need not filter on length.
        low, high = schema.get("minLength", 0), schema.get("maxLength", "")
        schema["pattern"] = NO_NUL if (low, high) == (0, "") else f"^[^\\x00]{{{low},{high}}}$"
    for value in schema.values():
        if isinstance(value, dict | list):
            _forbid_nul(value)


def _forbid_nul_in_query(parameter: Any) -> None:
    schema = getattr(parameter, "schema", None)
    if getattr(parameter, "param_in", None) != ParamType.QUERY or not isinstance(schema, Schema):
        return
    kinds = [schema.type, *(getattr(s, "type", None) for s in schema.one_of or [])]
    if OpenAPIType.STRING in kinds and schema.pattern is None and schema.enum is None:
        schema.pattern = NO_NUL


PARAMETER_RULES: dict[tuple[str, str, str], dict[str, Any]] = {
    ("PUT", "/v1/venues/{venue_id}/seatmaps/{seatmap_id}", "seatmap_id"): {
        "type": "string",
        "pattern": _anchored(SEATMAP_ID.pattern),
    },
    ("GET", "/v1/events/{event_id}/availability/stream", "Last-Event-ID"): {
        "type": "string",
        "pattern": STREAM_ID_PATTERN,
    },
    ("GET", "/v1/events/{event_id}/availability/stream", "last_event_id"): {
        "type": "string",
        "pattern": STREAM_ID_PATTERN,
    },
}


STREAM = ("GET", "/v1/events/{event_id}/availability/stream")
STREAM_EVENTS: dict[str, type] = {
    SEATS_HELD: SeatsHeld,
    SEATS_RELEASED: SeatsReleased,
    SEATS_SOLD: SeatsSold,
    ZONE_UPDATED: ZoneUpdated,
    "resync": Resync,
}


def stream_schemas() -> dict[str, Any]:
    """One server-sent event of the availability stream; ``data`` is JSON of its type's schema."""
    _, components = msgspec.json.schema_components(
        list(STREAM_EVENTS.values()), ref_template="#/components/schemas/{name}"
    )

    def frame(event: str, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {
                "event": {"const": event},
                "data": {
                    "type": "string",
                    "contentMediaType": "application/json",
                    "contentSchema": data,
                },
            },
        }

    batch = {
        "type": "object",
        "properties": {
            "events": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": _string(),
                        "event": _string(enum=sorted(STREAM_EVENTS)),
                        "data": {},
                    },
                    "required": ["id", "event", "data"],
                },
            }
        },
        "required": ["events"],
    }
    components["AvailabilityEvent"] = {
        "type": "object",
        "description": "A server-sent event: `id` is its stream id (resume after it with "
        "`Last-Event-ID`), `event` its type, `data` its JSON.",
        "properties": {
            "id": {"type": "string", "pattern": STREAM_ID_PATTERN},
            "event": _string(enum=sorted([*STREAM_EVENTS, "seat.batch"])),
            "data": _string(contentMediaType="application/json"),
            "retry": {"type": "integer", "minimum": 0},
        },
        "oneOf": [
            *(frame(event, _ref(kind.__name__)) for event, kind in STREAM_EVENTS.items()),
            frame("seat.batch", batch),
        ],
    }
    return components


def problem_component(slug: str) -> str:
    return "Problem-" + slug


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def problem_schemas() -> dict[str, Any]:
    """``ProblemDetails`` and one ``Problem-<slug>`` per catalogued type, with its members."""
    schemas: dict[str, Any] = {"ProblemDetails": PROBLEM_DETAILS}
    for slug, problem in CATALOGUE.items():
        schemas[problem_component(slug)] = {
            "allOf": [
                _ref("ProblemDetails"),
                {
                    "type": "object",
                    "title": problem.title,
                    "description": problem.description,
                    "properties": {
                        "type": _string(enum=[problem.type_uri]),
                        "status": {"type": "integer", "enum": [problem.status]},
                        **EXTENSIONS.get(slug, {}),
                    },
                    "required": REQUIRED_EXTENSIONS.get(slug, []),
                },
            ]
        }
    return schemas


@dataclass(frozen=True)
class OperationFacts:
    """What the app declares about one operation, from which its answers follow."""

    method: str
    path: str
    access: Access
    has_path_params: bool
    has_query: bool
    has_body: bool
    idempotent: bool
    rate_limited: bool

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    def problems(self) -> set[str]:
        slugs = {"bad-request", "internal-error"}
        if not self.access.public or self.access.tickets:
            slugs |= {"unauthenticated", "insufficient-scope", "org-mismatch"}
            slugs |= {"dependency-unavailable", "rate-limited"}
        if self.has_path_params:
            slugs.add("not-found")
        if self.has_query or self.has_body:
            slugs.add("validation-error")
        if self.has_body:
            slugs.add("payload-too-large")
        if self.idempotent:
            slugs.add("idempotency-key-reuse")
        if self.rate_limited:
            slugs.add("rate-limited")
        slugs.update(ROUTE_PROBLEMS.get(self.key, ()))
        return slugs


def operations(app: Litestar) -> Iterator[tuple[OperationFacts, HTTPRouteHandler, Operation]]:
    paths = app.openapi_schema.paths or {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path_format not in paths:
            continue
        item = paths[route.path_format]
        for handler in route.route_handlers:
            access = declared_access(handler)
            if access is None:
                continue
            for method in sorted(handler.http_methods):
                operation = getattr(item, method.lower(), None)
                if not isinstance(operation, Operation):
                    continue
                parameters = [p for p in operation.parameters or [] if hasattr(p, "param_in")]
                locations = {str(getattr(p.param_in, "value", p.param_in)) for p in parameters}
                authenticated = not access.public
                facts = OperationFacts(
                    method=method,
                    path=route.path_format,
                    access=access,
                    has_path_params=bool(route.path_parameters),
                    has_query="query" in locations,
                    has_body=operation.request_body is not None
                    or "data" in handler.parsed_fn_signature.parameters,
                    idempotent=authenticated
                    and applies_to(method, route.path_format)
                    and not handler.opt.get(SKIP_IDEMPOTENCY),
                    rate_limited=not handler.opt.get(SKIP_RATE_LIMIT),
                )
                yield facts, handler, operation


def _header(name: str) -> dict[str, Any]:
    schema, description = HEADER_SCHEMAS[name]
    return {"schema": schema, "description": description, "required": False}


def _problem_response(slugs: list[str]) -> dict[str, Any]:
    refs = [_ref(problem_component(slug)) for slug in slugs]
    titles = ", ".join(f"`{slug}`" for slug in slugs)
    return {
        "description": f"Problem Details: {titles}.",
        "content": {PROBLEM_MEDIA_TYPE: {"schema": refs[0] if len(refs) == 1 else {"anyOf": refs}}},
    }


def document_contract(app: Litestar, settings: Settings) -> None:
    """Complete the generated document from what the app declares (see the module's doc)."""
    schema = app.openapi_schema
    _prune_schema_viewers(app)
    components = schema.components
    wire = wire_schemas(app)
    tighten(wire, settings)
    # The spec objects' types name Schema; plain JSON Schema dicts render the same.
    components.schemas = cast(
        "dict[str, Schema]",
        {
            **(components.schemas or {}),
            **wire,
            **problem_schemas(),
            **stream_schemas(),
            "OAuthError": OAUTH_ERROR,
            "InProgress": IN_PROGRESS,
        },
    )
    components.security_schemes = security_schemes()
    schema.info.description = f"{schema.info.description or ''} {NO_NUL_NOTE}".strip()
    for facts, _handler, operation in operations(app):
        _document(facts, operation)


def security_schemes() -> dict[str, Any]:
    scopes = dict(SCOPE_DESCRIPTIONS)
    return {
        OAUTH2: {
            "type": "oauth2",
            "description": "Bearer tokens from `POST /v1/oauth/token`.",
            "flows": {
                "password": {"tokenUrl": TOKEN_URL, "scopes": scopes},
                "clientCredentials": {"tokenUrl": TOKEN_URL, "scopes": scopes},
            },
        },
        READ_TICKET: {
            "type": "apiKey",
            "in": "query",
            "name": "ticket",
            "description": "A read ticket from `POST /v1/events/{event_id}/availability/tickets`:"
            " this event's availability only, for about a minute.",
        },
    }


def _prune_schema_viewers(app: Litestar) -> None:
    """The document's own viewers (Swagger, ReDoc, ...) are not the API; only the document is."""
    paths = app.openapi_schema.paths or {}
    for path in [p for p in paths if p.startswith("/schema") and p != "/schema/openapi.json"]:
        del paths[path]


def _document(facts: OperationFacts, operation: Operation) -> None:
    access = facts.access
    if access.public:
        operation.security = []
    else:
        assert access.scope is not None
        operation.security = [{OAUTH2: [access.scope]}]
        if access.tickets:
            operation.security.append({READ_TICKET: []})
        scope_note = f"Needs the `{access.scope}` scope."
        operation.description = (
            f"{operation.description}\n\n{scope_note}" if operation.description else scope_note
        )
    parameters: list[Any] = [*(operation.parameters or []), REQUEST_ID]
    for parameter in parameters:
        name = parameter["name"] if isinstance(parameter, dict) else parameter.name
        rule = PARAMETER_RULES.get((facts.method, facts.path, name))
        if rule is not None:
            parameter.schema = rule
        else:
            _forbid_nul_in_query(parameter)
    if not access.public:
        parameters.append(ORG_ID)
    if facts.idempotent:
        parameters.append(IDEMPOTENCY_KEY)
    if facts.key == STRIPE_WEBHOOK:
        parameters.append(STRIPE_SIGNATURE)
    operation.parameters = parameters

    responses: dict[str, Any] = {}
    for status, response in (operation.responses or {}).items():
        # Litestar's own 400 is its ValidationException body; ours are Problem Details.
        if status.startswith("2") or status.startswith("3"):
            responses[status] = response
    responses.update(ROUTE_RESPONSES.get(facts.key, {}))
    if facts.key == STREAM and "200" in responses:
        responses["200"].content = {
            "text/event-stream": {
                "schema": _ref("AvailabilityEvent"),
                "itemSchema": _ref("AvailabilityEvent"),
            }
        }
    if facts.key == OAUTH_ROUTE:
        for status in ("400", "401"):
            responses[status] = {
                "description": "RFC 6749 error (not Problem Details); a NUL in the query is "
                "Problem Details `bad-request`.",
                "content": {"application/json": {"schema": _ref("OAuthError")}},
            }
        responses["400"]["content"][PROBLEM_MEDIA_TYPE] = {
            "schema": _ref(problem_component("bad-request"))
        }
    if facts.idempotent:
        responses["202"] = {
            "description": "A request with this `Idempotency-Key` is still being processed; "
            "retry after `Retry-After`.",
            "content": {"application/json": {"schema": _ref("InProgress")}},
            "headers": {"Retry-After": _header("Retry-After")},
        }
    by_status: dict[int, list[str]] = {}
    for slug in sorted(facts.problems()):
        by_status.setdefault(CATALOGUE[slug].status, []).append(slug)
    for code, slugs in sorted(by_status.items()):
        responses.setdefault(str(code), _problem_response(slugs))
    own_headers = ROUTE_HEADERS.get(facts.key, {})
    for status, response in responses.items():
        headers = dict(_headers_of(response))
        headers["X-Request-ID"] = _header("X-Request-ID")
        if facts.rate_limited:
            headers.update({name: _header(name) for name in RATE_LIMIT_HEADERS})
        code = int(status)
        if code in (429, 503) or code == 202:
            headers["Retry-After"] = _header("Retry-After")
        if code in (401, 403) and facts.key != OAUTH_ROUTE:
            headers["WWW-Authenticate"] = _header("WWW-Authenticate")
        if facts.idempotent and code < 500:
            headers["Idempotent-Replayed"] = _header("Idempotent-Replayed")
        for name in own_headers.get(code, ()):
            headers[name] = _header(name)
        _set_headers(response, headers)
        links = LINKS.get((facts.method, facts.path, code))
        if links is not None:
            if isinstance(response, dict):
                response["links"] = links
            else:
                response.links = links
    operation.responses = responses


def _headers_of(response: Any) -> dict[str, Any]:
    if isinstance(response, dict):
        return dict(response.get("headers") or {})
    return dict(response.headers or {})


def _set_headers(response: Any, headers: dict[str, Any]) -> None:
    if isinstance(response, dict):
        response["headers"] = headers
    else:
        response.headers = headers


def wire_schemas(app: Litestar) -> dict[str, Any]:
    """msgspec's schemas of every Struct a handler reads or answers, by component name."""
    structs: set[type] = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            signature = handler.parsed_fn_signature
            data = signature.parameters.get("data")
            for field in (signature.return_type, data):
                if field is not None:
                    structs.update(_structs_in(field.annotation))
    _, components = msgspec.json.schema_components(
        sorted(structs, key=lambda t: t.__qualname__),
        ref_template="#/components/schemas/{name}",
    )
    return components


def _structs_in(hint: Any) -> Iterator[type]:
    if inspect.isclass(hint) and issubclass(hint, msgspec.Struct):
        yield hint
        return
    if get_origin(hint) is not None:
        for arg in get_args(hint):
            yield from _structs_in(arg)
