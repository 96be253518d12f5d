"""Guessing passwords for one username is throttled, whether or not the username exists.

The per-IP budget of the token endpoint is the rate-limit middleware's; this adds a
budget per username, counted before the password is checked, so an unknown username
is throttled exactly like a real one and the answer tells nothing about either.
"""

from __future__ import annotations

from lml_api.container import Container
from lml_api.problems import ProblemError
from lml_identity.domain import normalise_username
from lml_ratelimit import FailurePolicy, Policy, rate_limit_headers, rate_limit_key
from lml_result import Ok

ROUTE = "/v1/oauth/token"


async def throttle_username(container: Container, username: str) -> None:
    settings = container.settings
    policy = Policy(
        name="token-username",
        quota=settings.token_attempts_per_username,
        window_seconds=settings.token_attempts_window_seconds,
        on_backend_error=FailurePolicy.CLOSED,
    )
    normalised = normalise_username(username)
    identity = normalised.value if isinstance(normalised, Ok) else username
    decision = await container.rate_limiter.hit(
        rate_limit_key("username", identity, ROUTE, "POST"), policy
    )
    if not decision.allowed:
        raise ProblemError(
            "rate-limited",
            "Too many sign-in attempts for this username; retry later.",
            headers=dict(rate_limit_headers(policy, decision)),
        )
