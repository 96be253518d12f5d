"""What the verifier accepts, including the edges of the clock-skew leeway."""

from collections.abc import Callable
from typing import Any

from lml_auth import Principal, SigningKey, TokenIssuer, TokenVerifier
from lml_auth.fakes import FakeEpochClock
from lml_result import Ok

EXPECTED = Principal(
    subject="user-1",
    org_id="org-1",
    scopes=frozenset({"orders.read", "venues.read"}),
    token_id="token-1",
)


def test_given_a_valid_token_when_verified_then_the_principal_is_returned(
    verifier: TokenVerifier, forge: Callable[..., str]
) -> None:
    assert verifier.verify(forge()) == Ok(EXPECTED)


def test_given_a_token_signed_by_a_verify_only_key_when_verified_then_it_is_accepted(
    verifier: TokenVerifier,
    forge: Callable[..., str],
    header: dict[str, Any],
    verify_only_key: SigningKey,
) -> None:
    header["kid"] = verify_only_key.kid
    assert verifier.verify(forge(secret=verify_only_key.secret)) == Ok(EXPECTED)


def test_given_an_audience_list_that_includes_ours_when_verified_then_it_is_accepted(
    verifier: TokenVerifier, forge: Callable[..., str], claims: dict[str, Any]
) -> None:
    claims["aud"] = ["billing", claims["aud"]]
    assert verifier.verify(forge()) == Ok(EXPECTED)


def test_given_an_empty_scope_when_verified_then_the_principal_has_no_scopes(
    verifier: TokenVerifier, forge: Callable[..., str], claims: dict[str, Any]
) -> None:
    claims["scope"] = ""
    assert verifier.verify(forge()) == Ok(
        Principal(subject="user-1", org_id="org-1", scopes=frozenset(), token_id="token-1")
    )


def test_given_a_token_just_past_expiry_but_within_leeway_when_verified_then_it_is_accepted(
    issuer: TokenIssuer, verifier: TokenVerifier, clock: FakeEpochClock, leeway_seconds: int
) -> None:
    issued = issuer.issue("user-1", "org-1", [])
    clock.advance(issued.expires_in + leeway_seconds - 1)
    assert verifier.verify(issued.access_token).is_ok()


def test_given_a_token_from_a_clock_slightly_ahead_when_verified_then_it_is_accepted(
    issuer: TokenIssuer, verifier: TokenVerifier, clock: FakeEpochClock, leeway_seconds: int
) -> None:
    issued = issuer.issue("user-1", "org-1", [])
    clock.advance(-leeway_seconds)
    assert verifier.verify(issued.access_token).is_ok()
