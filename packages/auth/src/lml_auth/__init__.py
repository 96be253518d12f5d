"""Issue and verify HS256 access tokens, with rotating keys and explicit claim checks."""

from lml_auth.issuer import IssuedToken, TokenIssuer
from lml_auth.keys import ALGORITHM, MIN_SECRET_BYTES, KeyConfigError, KeyRing, SigningKey
from lml_auth.scopes import ALL_SCOPES, Scope, format_scopes, parse_scopes
from lml_auth.verifier import (
    MAX_TOKEN_LENGTH,
    Principal,
    RejectionReason,
    TokenRejected,
    TokenVerifier,
)
from lml_clocks import EpochClock, SystemEpochClock

__all__ = [
    "ALGORITHM",
    "ALL_SCOPES",
    "MAX_TOKEN_LENGTH",
    "MIN_SECRET_BYTES",
    "EpochClock",
    "IssuedToken",
    "KeyConfigError",
    "KeyRing",
    "Principal",
    "RejectionReason",
    "Scope",
    "SigningKey",
    "SystemEpochClock",
    "TokenIssuer",
    "TokenRejected",
    "TokenVerifier",
    "format_scopes",
    "parse_scopes",
]
