"""Verify access tokens: never trust the header, check every claim, never raise on bad input."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from joserfc import jws
from joserfc.errors import (
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import OctKey

from lml_auth.claims import AccessTokenClaims, ClaimTypeError
from lml_auth.keys import ALGORITHM, KeyRing
from lml_auth.scopes import parse_scopes
from lml_clocks import EpochClock
from lml_result import Err, Ok, Result

# Our tokens are a few hundred bytes; the cap bounds the work an attacker can make us do.
MAX_TOKEN_LENGTH = 8 * 1024

# The signature may be empty so that an unsigned ("alg": "none") token is reported as such.
_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")

# Exactly what TokenIssuer writes. Anything else (crit, b64, jku, jwk, x5u, ...) asks the
# verifier to behave differently, and our tokens never ask.
_HEADER_PARAMETERS = frozenset({"alg", "kid", "typ"})
_TYPE = "JWT"

RejectionReason = Literal[
    "malformed",
    "algorithm",
    "unknown_kid",
    "signature",
    "expired",
    "not_yet_valid",
    "issuer",
    "audience",
    "missing_claim",
    "invalid_claim",
]

_REASON_BY_INVALID_CLAIM: dict[str, RejectionReason] = {
    "iss": "issuer",
    "aud": "audience",
    "nbf": "not_yet_valid",
    "iat": "not_yet_valid",
}


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str
    org_id: str
    scopes: frozenset[str]
    token_id: str


@dataclass(frozen=True, slots=True)
class TokenRejected:
    reason: RejectionReason


class TokenVerifier:
    def __init__(
        self, key_ring: KeyRing, issuer: str, audience: str, leeway_seconds: int, clock: EpochClock
    ) -> None:
        if leeway_seconds < 0:
            raise ValueError(f"leeway_seconds must not be negative, got {leeway_seconds}")
        self._jwks: dict[str, OctKey] = {key.kid: key.jwk() for key in key_ring}
        self._registry = jws.JWSRegistry(algorithms=[ALGORITHM])
        self._claims = AccessTokenClaims(
            issuer=issuer,
            audience=audience,
            leeway=leeway_seconds,
            now=lambda: int(clock.seconds()),
        )

    def verify(self, token: str) -> Result[Principal, TokenRejected]:
        if len(token) > MAX_TOKEN_LENGTH or not _COMPACT_JWS.fullmatch(token):
            return _rejected("malformed")
        try:
            compact = jws.extract_compact(token.encode("ascii"), registry=self._registry)
        except JoseError:
            return _rejected("malformed")

        header: object = compact.headers()
        if not isinstance(header, dict):
            return _rejected("malformed")
        if header.get("alg") != ALGORITHM:
            return _rejected("algorithm")
        kid = header.get("kid")
        jwk = self._jwks.get(kid) if isinstance(kid, str) else None
        if jwk is None:
            return _rejected("unknown_kid")
        if not header.keys() <= _HEADER_PARAMETERS or header.get("typ", _TYPE) != _TYPE:
            return _rejected("malformed")

        try:
            signature_matches = jws.validate_compact(compact, jwk, registry=self._registry)
        except JoseError:
            return _rejected("malformed")
        if not signature_matches:
            return _rejected("signature")

        claims = _json_object(compact.payload)
        if claims is None:
            return _rejected("malformed")
        reason = self._claims_rejection(claims)
        if reason is not None:
            return _rejected(reason)
        return Ok(
            Principal(
                subject=claims["sub"],
                org_id=claims["org"],
                scopes=parse_scopes(claims["scope"]),
                token_id=claims["jti"],
            )
        )

    def _claims_rejection(self, claims: dict[str, Any]) -> RejectionReason | None:
        try:
            self._claims.validate(claims)
        except MissingClaimError:
            return "missing_claim"
        except ExpiredTokenError:
            return "expired"
        except ClaimTypeError:
            return "invalid_claim"
        except InvalidClaimError as error:
            return _REASON_BY_INVALID_CLAIM.get(error.claim, "invalid_claim")
        return None


def _rejected(reason: RejectionReason) -> Err[TokenRejected]:
    return Err(TokenRejected(reason))


def _json_object(payload: bytes) -> dict[str, Any] | None:
    # RecursionError: deeply nested arrays; ValueError covers bad UTF-8, bad JSON and
    # integers longer than Python will parse.
    try:
        value = json.loads(payload.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None
