"""The claims every access token must carry, and the rules each one must meet."""

from __future__ import annotations

import math
from collections.abc import Callable

from joserfc.errors import InvalidClaimError
from joserfc.jwt import JWTClaimsRegistry


class ClaimTypeError(InvalidClaimError):
    """A claim holds the wrong JSON type, as opposed to a well-typed value that fails a rule."""


class AccessTokenClaims(JWTClaimsRegistry):
    """Validates access-token claims against one issuer and audience.

    Raises joserfc's ``MissingClaimError``, ``ExpiredTokenError`` or ``InvalidClaimError``
    (``ClaimTypeError`` for a wrongly typed claim).
    """

    def __init__(self, *, issuer: str, audience: str, leeway: int, now: Callable[[], int]) -> None:
        super().__init__(
            now=now,
            leeway=leeway,
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": audience},
            exp={"essential": True},
            iat={"essential": True},
            nbf={"essential": True},
            sub={"essential": True},
            org={"essential": True},
            # A grant of no scopes is legitimate, so an empty scope string is too.
            scope={"essential": True, "allow_blank": True},
            jti={"essential": True},
        )

    def validate_org(self, value: object) -> None:
        _require_string("org", value)
        self.check_value("org", value)

    def validate_scope(self, value: object) -> None:
        _require_string("scope", value)
        self.check_value("scope", value)

    # joserfc raises the same InvalidClaimError for "not a number" and "in the future";
    # checking the type first keeps "not yet valid" meaning only that.
    def validate_nbf(self, value: object) -> None:
        _require_numeric_date("nbf", value)
        super().validate_nbf(value)

    def validate_iat(self, value: object) -> None:
        _require_numeric_date("iat", value)
        super().validate_iat(value)

    def validate_exp(self, value: object) -> None:
        _require_numeric_date("exp", value)
        super().validate_exp(value)


def _require_string(claim: str, value: object) -> None:
    if not isinstance(value, str):
        raise ClaimTypeError(claim, f"Claim {claim!r} must be a string")


def _require_numeric_date(claim: str, value: object) -> None:
    # An int too large for a float is still "a number" to JSON, but no usable date.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ClaimTypeError(claim, f"Claim {claim!r} must be a NumericDate")
    try:
        finite = math.isfinite(value)
    except OverflowError:
        finite = False
    if not finite:
        raise ClaimTypeError(claim, f"Claim {claim!r} must be a finite NumericDate")
