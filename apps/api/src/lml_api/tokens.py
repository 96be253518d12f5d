"""The token issuer and verifier, built from the signing-key settings."""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections import OrderedDict
from dataclasses import dataclass

from lml_auth import (
    EpochClock,
    KeyConfigError,
    KeyRing,
    Principal,
    SystemEpochClock,
    TokenIssuer,
    TokenRejected,
    TokenVerifier,
)
from lml_config import Settings
from lml_result import Ok, Result

# A verified token is served from memory for at most this long, so a key taken out of
# LML_JWT_KEYS (on restart) or any future revocation bites within this delay, not at `exp`.
VERIFIED_MAX_AGE_SECONDS = 30.0
VERIFIED_MAX_ENTRIES = 4096


class TokenConfigError(ValueError):
    """The signing-key settings are unusable; the message names the variable, never a secret."""


class CachingVerifier:
    """``TokenVerifier.verify`` remembering recent successes: one HMAC and claims check per
    token per ``max_age_seconds`` instead of per request (about 5 % of a hold's API CPU).

    Only successes are kept, each until the earlier of the token's ``exp`` (without the
    verifier's leeway, so never later than the verifier would accept it) and
    ``max_age_seconds`` after it was verified. At most ``max_entries`` tokens, least
    recently used evicted first.
    """

    def __init__(
        self,
        verifier: TokenVerifier,
        clock: EpochClock,
        max_entries: int = VERIFIED_MAX_ENTRIES,
        max_age_seconds: float = VERIFIED_MAX_AGE_SECONDS,
    ) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be positive, got {max_entries}")
        self._verifier = verifier
        self._clock = clock
        self._max_entries = max_entries
        self._max_age_seconds = max_age_seconds
        self._verified: OrderedDict[str, tuple[Ok[Principal], float]] = OrderedDict()

    def verify(self, token: str) -> Result[Principal, TokenRejected]:
        now = self._clock.seconds()
        entry = self._verified.get(token)
        if entry is not None:
            verified, until = entry
            if now < until:
                self._verified.move_to_end(token)
                return verified
            del self._verified[token]
        result = self._verifier.verify(token)
        if isinstance(result, Ok):
            until = min(now + self._max_age_seconds, _expiry(token))
            if now < until:
                self._verified[token] = (result, until)
                if len(self._verified) > self._max_entries:
                    self._verified.popitem(last=False)
        return result


def _expiry(verified_token: str) -> float:
    """The ``exp`` of a token whose signature and claims were just verified; -inf if absent."""
    try:
        payload = verified_token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error):
        return -math.inf
    exp = claims.get("exp") if isinstance(claims, dict) else None
    if isinstance(exp, bool) or not isinstance(exp, int | float):
        return -math.inf
    return float(exp)


@dataclass(frozen=True)
class Tokens:
    issuer: TokenIssuer
    verifier: CachingVerifier


def build_tokens(settings: Settings) -> Tokens:
    try:
        ring = KeyRing.from_config(settings.jwt_keys, settings.jwt_signing_kid)
    except KeyConfigError as error:
        raise TokenConfigError(f"LML_JWT_KEYS / LML_JWT_SIGNING_KID: {error}") from None
    clock = SystemEpochClock()
    return Tokens(
        issuer=TokenIssuer(
            ring,
            settings.jwt_issuer,
            settings.jwt_audience,
            settings.access_token_ttl_seconds,
            clock,
        ),
        verifier=CachingVerifier(
            TokenVerifier(
                ring, settings.jwt_issuer, settings.jwt_audience, settings.jwt_leeway_seconds, clock
            ),
            clock,
        ),
    )
