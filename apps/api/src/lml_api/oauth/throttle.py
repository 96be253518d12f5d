"""Guessing passwords for one username is throttled, whether or not the username exists.

The per-IP budget of the token endpoint is the rate-limit middleware's; this is the
identity use case's ``SignInAttempts``: a budget per (organisation, username), spent
after the client has named the organisation and before the password is checked, so an
unknown username is throttled exactly like a real one, and attempts through one
organisation's client never lock a namesake out of another organisation.
"""

from __future__ import annotations

from lml_api.problems import ProblemError
from lml_config import Settings
from lml_ratelimit import FailurePolicy, Policy, RateLimiter, rate_limit_headers, rate_limit_key

ROUTE = "/v1/oauth/token"


class RateLimitedSignInAttempts:
    def __init__(self, limiter: RateLimiter, settings: Settings) -> None:
        self._limiter = limiter
        self._policy = Policy(
            name="token-username",
            quota=settings.token_attempts_per_username,
            window_seconds=settings.token_attempts_window_seconds,
            on_backend_error=FailurePolicy.CLOSED,
        )

    async def spend(self, org_id: str, username: str) -> None:
        key = rate_limit_key("username", f"{org_id}/{username}", ROUTE, "POST")
        decision = await self._limiter.hit(key, self._policy)
        if not decision.allowed:
            raise ProblemError(
                "rate-limited",
                "Too many sign-in attempts for this username; retry later.",
                headers=dict(rate_limit_headers(self._policy, decision)),
            )
