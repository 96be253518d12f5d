import base64
import json
from typing import Any

import pytest

from lml_auth import EpochClock, KeyRing, Principal, Scope, SigningKey, TokenIssuer, TokenVerifier
from lml_result import Ok


def segment(token: str, index: int) -> dict[str, Any]:
    text = token.split(".")[index]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    return decoded


def test_given_an_issued_token_when_verified_then_it_yields_the_principal(
    issuer: TokenIssuer, verifier: TokenVerifier
) -> None:
    issued = issuer.issue("user-1", "org-1", [Scope.ORDERS_READ, Scope.VENUES_READ])
    result = verifier.verify(issued.access_token)
    assert result == Ok(
        Principal(
            subject="user-1",
            org_id="org-1",
            scopes=frozenset({"orders.read", "venues.read"}),
            token_id=segment(issued.access_token, 1)["jti"],
        )
    )


def test_given_a_token_is_issued_then_its_header_names_hs256_and_the_signing_kid(
    issuer: TokenIssuer, signing_key: SigningKey
) -> None:
    header = segment(issuer.issue("user-1", "org-1", []).access_token, 0)
    assert header == {"typ": "JWT", "alg": "HS256", "kid": signing_key.kid}


def test_given_a_token_is_issued_then_it_carries_every_claim_with_times_from_the_clock(
    issuer: TokenIssuer,
) -> None:
    claims = segment(issuer.issue("user-1", "org-1", ["orders.read"]).access_token, 1)
    assert claims == {
        "iss": "https://auth.lml.test",
        "aud": "lml-api",
        "sub": "user-1",
        "org": "org-1",
        "scope": "orders.read",
        "jti": claims["jti"],
        "iat": 1_700_000_000,
        "nbf": 1_700_000_000,
        "exp": 1_700_000_900,
    }


def test_given_two_tokens_for_the_same_grant_then_their_ids_differ(issuer: TokenIssuer) -> None:
    first = segment(issuer.issue("user-1", "org-1", []).access_token, 1)
    second = segment(issuer.issue("user-1", "org-1", []).access_token, 1)
    assert first["jti"] != second["jti"]


def test_given_a_token_is_issued_then_the_response_reports_lifetime_and_sorted_scope(
    issuer: TokenIssuer,
) -> None:
    issued = issuer.issue("user-1", "org-1", [Scope.VENUES_WRITE, Scope.EVENTS_WRITE])
    assert issued.expires_in == 900
    assert issued.scope == "events.write venues.write"


def test_given_an_issued_token_when_shown_then_the_token_itself_is_hidden(
    issuer: TokenIssuer,
) -> None:
    issued = issuer.issue("user-1", "org-1", [])
    assert issued.access_token not in repr(issued)


@pytest.mark.parametrize(("subject", "org"), [("", "org-1"), ("user-1", "")])
def test_given_an_empty_subject_or_org_when_issuing_then_it_is_refused(
    issuer: TokenIssuer, subject: str, org: str
) -> None:
    with pytest.raises(ValueError, match="non-empty subject and org"):
        issuer.issue(subject, org, [])


def test_given_a_scope_name_with_a_space_when_issuing_then_it_is_refused(
    issuer: TokenIssuer,
) -> None:
    with pytest.raises(ValueError, match="not valid scope names"):
        issuer.issue("user-1", "org-1", ["orders.read orders.write"])


@pytest.mark.parametrize("ttl_seconds", [0, -1])
def test_given_a_non_positive_lifetime_when_making_an_issuer_then_it_is_refused(
    key_ring: KeyRing, clock: EpochClock, ttl_seconds: int
) -> None:
    with pytest.raises(ValueError, match="ttl_seconds must be positive"):
        TokenIssuer(key_ring, "iss", "aud", ttl_seconds, clock)
