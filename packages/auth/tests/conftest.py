"""Shared fixtures: a controllable clock, a two-key ring, and a forger for hand-made tokens.

pytest runs with --import-mode=importlib, so tests reach these helpers through fixtures
rather than by importing this module.
"""

from __future__ import annotations

import base64
import hmac
import json
from collections.abc import Callable
from typing import Any

import pytest

from lml_auth import KeyRing, SigningKey, TokenIssuer, TokenVerifier
from lml_auth.fakes import FakeEpochClock

ISSUER = "https://auth.lml.test"
AUDIENCE = "lml-api"
TTL_SECONDS = 900
LEEWAY_SECONDS = 30
START = 1_700_000_000.0

SIGNING_KEY = SigningKey("k2025", b"s" * 32)
VERIFY_ONLY_KEY = SigningKey("k2024", b"v" * 32)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@pytest.fixture
def clock() -> FakeEpochClock:
    return FakeEpochClock(START)


@pytest.fixture
def leeway_seconds() -> int:
    return LEEWAY_SECONDS


@pytest.fixture
def signing_key() -> SigningKey:
    return SIGNING_KEY


@pytest.fixture
def verify_only_key() -> SigningKey:
    return VERIFY_ONLY_KEY


@pytest.fixture
def key_ring() -> KeyRing:
    return KeyRing([SIGNING_KEY, VERIFY_ONLY_KEY], signing_kid=SIGNING_KEY.kid)


@pytest.fixture
def make_issuer(clock: FakeEpochClock) -> Callable[[KeyRing], TokenIssuer]:
    return lambda ring: TokenIssuer(ring, ISSUER, AUDIENCE, TTL_SECONDS, clock)


@pytest.fixture
def make_verifier(clock: FakeEpochClock) -> Callable[[KeyRing], TokenVerifier]:
    return lambda ring: TokenVerifier(ring, ISSUER, AUDIENCE, LEEWAY_SECONDS, clock)


@pytest.fixture
def issuer(key_ring: KeyRing, make_issuer: Callable[[KeyRing], TokenIssuer]) -> TokenIssuer:
    return make_issuer(key_ring)


@pytest.fixture
def verifier(key_ring: KeyRing, make_verifier: Callable[[KeyRing], TokenVerifier]) -> TokenVerifier:
    return make_verifier(key_ring)


@pytest.fixture
def claims() -> dict[str, Any]:
    """Valid claims for a token issued at START, for a test to spoil one of."""
    issued_at = int(START)
    return {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "user-1",
        "org": "org-1",
        "scope": "orders.read venues.read",
        "jti": "token-1",
        "iat": issued_at,
        "nbf": issued_at,
        "exp": issued_at + TTL_SECONDS,
    }


@pytest.fixture
def header() -> dict[str, Any]:
    """A valid header naming the signing key, for a test to spoil."""
    return {"alg": "HS256", "typ": "JWT", "kid": SIGNING_KEY.kid}


@pytest.fixture
def forge(header: dict[str, Any], claims: dict[str, Any]) -> Callable[..., str]:
    """Build a JWS by hand, so tests can make tokens joserfc itself would refuse to write.

    Defaults to the ``header`` and ``claims`` fixtures (so spoiling those spoils the token)
    and the signing key's secret. ``payload`` replaces the encoded claims with raw bytes.
    """

    def _forge(
        header: Any = header,
        claims: Any = claims,
        secret: bytes = SIGNING_KEY.secret,
        digest: str = "sha256",
        payload: bytes | None = None,
    ) -> str:
        encoded_header = _b64url(json.dumps(header).encode())
        encoded_claims = _b64url(json.dumps(claims).encode() if payload is None else payload)
        signing_input = f"{encoded_header}.{encoded_claims}"
        mac = hmac.new(secret, signing_input.encode("ascii"), digest).digest()
        return f"{signing_input}.{_b64url(mac)}"

    return _forge
