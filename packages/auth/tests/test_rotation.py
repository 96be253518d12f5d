"""Rotating keys without downtime: add verify-only, switch signing, retire the old key."""

from collections.abc import Callable

import pytest

from lml_auth import KeyRing, SigningKey, TokenIssuer, TokenRejected, TokenVerifier
from lml_result import Err

OLD = SigningKey("2024-01", b"o" * 32)
NEW = SigningKey("2025-01", b"n" * 32)

BEFORE = KeyRing([OLD], signing_kid=OLD.kid)
NEW_KEY_ADDED = KeyRing([OLD, NEW], signing_kid=OLD.kid)
SIGNING_SWITCHED = KeyRing([OLD, NEW], signing_kid=NEW.kid)
OLD_KEY_RETIRED = KeyRing([NEW], signing_kid=NEW.kid)

MakeIssuer = Callable[[KeyRing], TokenIssuer]
MakeVerifier = Callable[[KeyRing], TokenVerifier]


@pytest.fixture
def old_token(make_issuer: MakeIssuer) -> str:
    return make_issuer(BEFORE).issue("user-1", "org-1", []).access_token


@pytest.fixture
def new_token(make_issuer: MakeIssuer) -> str:
    return make_issuer(SIGNING_SWITCHED).issue("user-1", "org-1", []).access_token


def test_given_the_new_key_added_verify_only_then_tokens_are_still_signed_with_the_old_key(
    make_issuer: MakeIssuer, make_verifier: MakeVerifier
) -> None:
    token = make_issuer(NEW_KEY_ADDED).issue("user-1", "org-1", []).access_token
    assert make_verifier(BEFORE).verify(token).is_ok()


@pytest.mark.parametrize(
    "ring", [NEW_KEY_ADDED, SIGNING_SWITCHED], ids=["new-key-added", "signing-switched"]
)
def test_given_an_old_key_token_when_verified_before_the_old_key_is_retired_then_it_passes(
    make_verifier: MakeVerifier, old_token: str, ring: KeyRing
) -> None:
    assert make_verifier(ring).verify(old_token).is_ok()


def test_given_signing_switched_when_a_token_is_issued_then_only_the_new_key_verifies_it(
    make_verifier: MakeVerifier, new_token: str
) -> None:
    assert make_verifier(KeyRing([NEW], signing_kid=NEW.kid)).verify(new_token).is_ok()
    assert make_verifier(BEFORE).verify(new_token) == Err(TokenRejected("unknown_kid"))


@pytest.mark.parametrize(
    "ring",
    [NEW_KEY_ADDED, SIGNING_SWITCHED, OLD_KEY_RETIRED],
    ids=["new-key-added", "signing-switched", "old-key-retired"],
)
def test_given_a_new_key_token_when_verified_at_any_later_stage_then_it_passes(
    make_verifier: MakeVerifier, new_token: str, ring: KeyRing
) -> None:
    """Includes instances still at "new key added" during a rolling deploy of the switch."""
    assert make_verifier(ring).verify(new_token).is_ok()


def test_given_the_old_key_retired_when_an_old_key_token_is_verified_then_unknown_kid(
    make_verifier: MakeVerifier, old_token: str
) -> None:
    assert make_verifier(OLD_KEY_RETIRED).verify(old_token) == Err(TokenRejected("unknown_kid"))
