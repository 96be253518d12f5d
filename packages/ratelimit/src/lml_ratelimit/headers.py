"""The rate-limit response headers (legacy ``X-RateLimit-*`` and the IETF fields)."""

from __future__ import annotations

import math

from lml_ratelimit.policy import Decision, Policy


def rate_limit_headers(policy: Policy, decision: Decision) -> list[tuple[str, str]]:
    """Headers for a limited response; ``Retry-After`` only when the request was denied.

    Delays are whole seconds rounded up, never timestamps, so a client that waits
    as told is never early.
    """
    name = _sf_string(policy.name)
    remaining = str(decision.remaining)
    reset = str(math.ceil(decision.reset_seconds))
    headers = [
        ("X-RateLimit-Limit", str(decision.limit)),
        ("X-RateLimit-Remaining", remaining),
        ("X-RateLimit-Reset", reset),
        ("RateLimit-Policy", f"{name};q={policy.quota};w={policy.window_seconds}"),
        ("RateLimit", f"{name};r={remaining};t={reset}"),
    ]
    if not decision.allowed:
        headers.append(("Retry-After", str(max(1, math.ceil(decision.retry_after_seconds)))))
    return headers


def _sf_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
