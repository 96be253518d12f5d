"""The token issuer and verifier, built from the signing-key settings."""

from __future__ import annotations

from dataclasses import dataclass

from lml_auth import KeyConfigError, KeyRing, SystemClock, TokenIssuer, TokenVerifier
from lml_config import Settings


class TokenConfigError(ValueError):
    """The signing-key settings are unusable; the message names the variable, never a secret."""


@dataclass(frozen=True)
class Tokens:
    issuer: TokenIssuer
    verifier: TokenVerifier


def build_tokens(settings: Settings) -> Tokens:
    try:
        ring = KeyRing.from_config(settings.jwt_keys, settings.jwt_signing_kid)
    except KeyConfigError as error:
        raise TokenConfigError(f"LML_JWT_KEYS / LML_JWT_SIGNING_KID: {error}") from None
    clock = SystemClock()
    return Tokens(
        issuer=TokenIssuer(
            ring,
            settings.jwt_issuer,
            settings.jwt_audience,
            settings.access_token_ttl_seconds,
            clock,
        ),
        verifier=TokenVerifier(
            ring, settings.jwt_issuer, settings.jwt_audience, settings.jwt_leeway_seconds, clock
        ),
    )
