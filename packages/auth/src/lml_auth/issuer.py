"""Issue HS256 access tokens signed with the key ring's signing key."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from joserfc import jwt

from lml_auth.keys import ALGORITHM, KeyRing
from lml_auth.scopes import format_scopes
from lml_clocks import EpochClock


@dataclass(frozen=True, slots=True)
class IssuedToken:
    # Kept out of repr so a logged IssuedToken never leaks a bearer credential.
    access_token: str = field(repr=False)
    expires_in: int
    scope: str


class TokenIssuer:
    def __init__(
        self, key_ring: KeyRing, issuer: str, audience: str, ttl_seconds: int, clock: EpochClock
    ) -> None:
        if ttl_seconds <= 0:
            raise ValueError(f"ttl_seconds must be positive, got {ttl_seconds}")
        signing_key = key_ring.signing_key
        self._kid = signing_key.kid
        self._jwk = signing_key.jwk()
        self._issuer = issuer
        self._audience = audience
        self._ttl_seconds = ttl_seconds
        self._clock = clock

    def issue(self, subject: str, org_id: str, scopes: Iterable[str]) -> IssuedToken:
        """Sign a token for ``subject`` in organisation ``org_id``.

        Raises ValueError for an empty subject or org, or an invalid scope name:
        the verifier would reject such a token, so issuing one is a bug.
        """
        if not subject or not org_id:
            raise ValueError("a token needs a non-empty subject and org")
        scope = format_scopes(scopes)
        issued_at = int(self._clock.seconds())
        claims = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": subject,
            "org": org_id,
            "scope": scope,
            "jti": secrets.token_urlsafe(16),
            "iat": issued_at,
            "nbf": issued_at,
            "exp": issued_at + self._ttl_seconds,
        }
        header = {"alg": ALGORITHM, "kid": self._kid}
        token = jwt.encode(header, claims, self._jwk, algorithms=[ALGORITHM])
        return IssuedToken(access_token=token, expires_in=self._ttl_seconds, scope=scope)
