"""Every problem type the API answers with: a stable slug, its status, title and meaning."""

from __future__ import annotations

import msgspec


class ProblemType(msgspec.Struct, frozen=True):
    slug: str
    status: int
    title: str
    description: str

    @property
    def type_uri(self) -> str:
        return f"/problems/{self.slug}"


_TYPES = (
    ProblemType(
        "bad-request",
        400,
        "Bad request",
        "The request could not be read: malformed JSON, or a header with a bad value "
        "(for example an over-long Idempotency-Key).",
    ),
    ProblemType(
        "invalid-signature",
        400,
        "Invalid webhook signature",
        "The Stripe-Signature header is missing, does not sign this body with the endpoint "
        "secret, or is more than five minutes old; nothing was stored.",
    ),
    ProblemType(
        "unauthenticated",
        401,
        "Authentication required",
        "The bearer token is missing, malformed, expired or not issued by this service. "
        "Obtain a token from POST /v1/oauth/token.",
    ),
    ProblemType(
        "insufficient-scope",
        403,
        "Insufficient scope",
        "The token is valid but lacks the scope this route requires; `required_scope` names it.",
    ),
    ProblemType(
        "org-mismatch",
        403,
        "Organisation mismatch",
        "The X-Org-ID header names another organisation than the token's.",
    ),
    ProblemType(
        "not-found",
        404,
        "Not found",
        "The resource does not exist, or belongs to another organisation.",
    ),
    ProblemType(
        "method-not-allowed",
        405,
        "Method not allowed",
        "The route exists but does not accept this method; the Allow header lists those it does.",
    ),
    ProblemType(
        "seat-conflict",
        409,
        "Seats unavailable",
        "Some requested seats or general-admission places are not available; nothing was held. "
        "`conflicting_seats` and `conflicting_zones` list every one.",
    ),
    ProblemType(
        "idempotency-key-reuse",
        409,
        "Idempotency key reused",
        "This Idempotency-Key was first used with another request body or route; "
        "nothing was processed.",
    ),
    ProblemType(
        "hold-expired",
        409,
        "Hold expired",
        "The hold expired or was released before this operation.",
    ),
    ProblemType(
        "hold-converted",
        409,
        "Hold already ordered",
        "The hold was already turned into an order; a hold makes at most one.",
    ),
    ProblemType(
        "order-status-conflict",
        409,
        "Order status conflict",
        "The order's status does not allow this change (only a pending order can be "
        "canceled); `order_status` is its status now.",
    ),
    ProblemType(
        "order-not-payable",
        409,
        "Order not payable",
        "The order is no longer pending (paid, expired, canceled or refunded): it cannot be "
        "paid for.",
    ),
    ProblemType(
        "precondition-failed",
        412,
        "Precondition failed",
        "The hold token is missing, wrong, or belongs to an expired hold; nothing changed.",
    ),
    ProblemType(
        "payload-too-large",
        413,
        "Payload too large",
        "The request body is larger than the configured limit.",
    ),
    ProblemType(
        "unsupported-media-type",
        415,
        "Unsupported media type",
        "This route takes a JSON body (Content-Type: application/json).",
    ),
    ProblemType(
        "validation-error",
        422,
        "Validation failed",
        "The body or query does not satisfy the contract; `errors` lists each field and why.",
    ),
    ProblemType(
        "hold-limit-exceeded",
        422,
        "Hold limit exceeded",
        "The hold would outlive its maximum total lifetime, or holds too many seats.",
    ),
    ProblemType(
        "rate-limited",
        429,
        "Too many requests",
        "The budget for this route is spent; retry after the Retry-After delay.",
    ),
    ProblemType(
        "internal-error",
        500,
        "Internal error",
        "Something failed on our side. The X-Request-ID header identifies the request in our logs.",
    ),
    ProblemType(
        "payment-refused",
        502,
        "Payment provider refused",
        "Stripe refused the request; `provider_code` is its error code when it gave one.",
    ),
    ProblemType(
        "dependency-unavailable",
        503,
        "Dependency unavailable",
        "PostgreSQL, Redis, MongoDB or Stripe cannot be reached right now; retry after "
        "Retry-After.",
    ),
)

CATALOGUE: dict[str, ProblemType] = {problem.slug: problem for problem in _TYPES}
SLUG_BY_STATUS: dict[int, str] = {}
for _problem in _TYPES:
    SLUG_BY_STATUS.setdefault(_problem.status, _problem.slug)
