"""Every way a token is refused, one reason per test. Verification never raises."""

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lml_auth import MAX_TOKEN_LENGTH, RejectionReason, TokenIssuer, TokenRejected, TokenVerifier
from lml_auth.fakes import FakeEpochClock
from lml_result import Err

Forge = Callable[..., str]


def rejected(reason: RejectionReason) -> Err[TokenRejected]:
    return Err(TokenRejected(reason))


# --- algorithm ---------------------------------------------------------------------------


@pytest.mark.parametrize(("alg", "digest"), [("HS384", "sha384"), ("HS512", "sha512")])
def test_given_a_token_signed_with_another_hmac_algorithm_when_verified_then_algorithm(
    verifier: TokenVerifier, forge: Forge, header: dict[str, Any], alg: str, digest: str
) -> None:
    header["alg"] = alg
    assert verifier.verify(forge(digest=digest)) == rejected("algorithm")


@pytest.mark.parametrize("alg", ["RS256", "ES256", "PS256", "EdDSA"])
def test_given_an_asymmetric_algorithm_over_an_hmac_signature_when_verified_then_algorithm(
    verifier: TokenVerifier, forge: Forge, header: dict[str, Any], alg: str
) -> None:
    header["alg"] = alg
    assert verifier.verify(forge()) == rejected("algorithm")


@pytest.mark.parametrize("alg", ["hs256", "HS256 ", "", None, 256, ["HS256"]])
def test_given_an_alg_that_only_resembles_hs256_when_verified_then_algorithm(
    verifier: TokenVerifier, forge: Forge, header: dict[str, Any], alg: object
) -> None:
    header["alg"] = alg
    assert verifier.verify(forge()) == rejected("algorithm")


def test_given_an_hs512_token_whose_header_claims_hs256_when_verified_then_signature(
    verifier: TokenVerifier, forge: Forge
) -> None:
    assert verifier.verify(forge(digest="sha512")) == rejected("signature")


# --- kid ---------------------------------------------------------------------------------


def test_given_a_header_without_kid_when_verified_then_unknown_kid(
    verifier: TokenVerifier, forge: Forge, header: dict[str, Any]
) -> None:
    del header["kid"]
    assert verifier.verify(forge()) == rejected("unknown_kid")


def test_given_a_kid_not_in_the_ring_when_verified_then_unknown_kid(
    verifier: TokenVerifier, forge: Forge, header: dict[str, Any]
) -> None:
    header["kid"] = "k1999"
    assert verifier.verify(forge()) == rejected("unknown_kid")


@pytest.mark.parametrize("kid", [7, ["k2025"], {"kid": "k2025"}, None])
def test_given_a_kid_that_is_not_a_string_when_verified_then_unknown_kid(
    verifier: TokenVerifier, forge: Forge, header: dict[str, Any], kid: object
) -> None:
    header["kid"] = kid
    assert verifier.verify(forge()) == rejected("unknown_kid")


# --- signature ---------------------------------------------------------------------------


def test_given_a_signature_taken_from_another_token_when_verified_then_signature(
    verifier: TokenVerifier, forge: Forge, claims: dict[str, Any]
) -> None:
    genuine = forge()
    claims["org"] = "org-2"
    tampered = forge()
    spliced = tampered.rsplit(".", 1)[0] + "." + genuine.rsplit(".", 1)[1]
    assert verifier.verify(spliced) == rejected("signature")


def test_given_an_hs256_token_with_its_signature_removed_when_verified_then_signature(
    verifier: TokenVerifier, forge: Forge
) -> None:
    unsigned = forge().rsplit(".", 1)[0] + "."
    assert verifier.verify(unsigned) == rejected("signature")


# --- issuer and audience -----------------------------------------------------------------


def test_given_another_issuer_when_verified_then_issuer(
    verifier: TokenVerifier, forge: Forge, claims: dict[str, Any]
) -> None:
    claims["iss"] = "https://evil.example"
    assert verifier.verify(forge()) == rejected("issuer")


def test_given_a_non_string_issuer_when_verified_then_issuer(
    verifier: TokenVerifier, forge: Forge, claims: dict[str, Any]
) -> None:
    claims["iss"] = [claims["iss"]]
    assert verifier.verify(forge()) == rejected("issuer")


def test_given_another_audience_when_verified_then_audience(
    verifier: TokenVerifier, forge: Forge, claims: dict[str, Any]
) -> None:
    claims["aud"] = "billing"
    assert verifier.verify(forge()) == rejected("audience")


@pytest.mark.parametrize("audience", [["billing", "reports"], []])
def test_given_an_audience_list_without_ours_when_verified_then_audience(
    verifier: TokenVerifier, forge: Forge, claims: dict[str, Any], audience: list[str]
) -> None:
    claims["aud"] = audience
    assert verifier.verify(forge()) == rejected("audience")


# --- time --------------------------------------------------------------------------------


def test_given_a_token_past_expiry_and_leeway_when_verified_then_expired(
    issuer: TokenIssuer, verifier: TokenVerifier, clock: FakeEpochClock, leeway_seconds: int
) -> None:
    issued = issuer.issue("user-1", "org-1", [])
    clock.advance(issued.expires_in + leeway_seconds)
    assert verifier.verify(issued.access_token) == rejected("expired")


def test_given_a_not_before_beyond_the_leeway_when_verified_then_not_yet_valid(
    verifier: TokenVerifier, forge: Forge, claims: dict[str, Any], leeway_seconds: int
) -> None:
    claims["nbf"] = claims["iat"] + leeway_seconds + 1
    assert verifier.verify(forge()) == rejected("not_yet_valid")


def test_given_an_issued_at_beyond_the_leeway_when_verified_then_not_yet_valid(
    verifier: TokenVerifier, forge: Forge, claims: dict[str, Any], leeway_seconds: int
) -> None:
    claims["iat"] = claims["iat"] + leeway_seconds + 1
    assert verifier.verify(forge()) == rejected("not_yet_valid")


@pytest.mark.parametrize("claim", ["exp", "nbf", "iat"])
@pytest.mark.parametrize("value", ["1700000000", True, [1], float("inf"), 10**400])
def test_given_a_time_claim_that_is_not_a_finite_number_when_verified_then_invalid_claim(
    verifier: TokenVerifier, forge: Forge, claims: dict[str, Any], claim: str, value: object
) -> None:
    claims[claim] = value
    assert verifier.verify(forge()) == rejected("invalid_claim")


# --- claims ------------------------------------------------------------------------------


@pytest.mark.parametrize("claim", ["iss", "aud", "exp", "iat", "nbf", "sub", "org", "scope", "jti"])
def test_given_an_essential_claim_is_missing_when_verified_then_missing_claim(
    verifier: TokenVerifier, forge: Forge, claims: dict[str, Any], claim: str
) -> None:
    del claims[claim]
    assert verifier.verify(forge()) == rejected("missing_claim")


def test_given_an_essential_claim_is_null_when_verified_then_missing_claim(
    verifier: TokenVerifier, forge: Forge, claims: dict[str, Any]
) -> None:
    claims["org"] = None
    assert verifier.verify(forge()) == rejected("missing_claim")


@pytest.mark.parametrize("org", [42, ["org-1"], {"id": "org-1"}, True])
def test_given_a_non_string_org_when_verified_then_invalid_claim(
    verifier: TokenVerifier, forge: Forge, claims: dict[str, Any], org: object
) -> None:
    claims["org"] = org
    assert verifier.verify(forge()) == rejected("invalid_claim")


@pytest.mark.parametrize("subject", [42, ["user-1"], False])
def test_given_a_non_string_subject_when_verified_then_invalid_claim(
    verifier: TokenVerifier, forge: Forge, claims: dict[str, Any], subject: object
) -> None:
    claims["sub"] = subject
    assert verifier.verify(forge()) == rejected("invalid_claim")


@pytest.mark.parametrize("scope", [["orders.read", "venues.read"], 1, {"orders.read": True}])
def test_given_a_non_string_scope_when_verified_then_invalid_claim(
    verifier: TokenVerifier, forge: Forge, claims: dict[str, Any], scope: object
) -> None:
    claims["scope"] = scope
    assert verifier.verify(forge()) == rejected("invalid_claim")


def test_given_a_non_string_token_id_when_verified_then_invalid_claim(
    verifier: TokenVerifier, forge: Forge, claims: dict[str, Any]
) -> None:
    claims["jti"] = 12345
    assert verifier.verify(forge()) == rejected("invalid_claim")


@pytest.mark.parametrize("claim", ["sub", "org", "jti"])
def test_given_an_empty_identity_claim_when_verified_then_invalid_claim(
    verifier: TokenVerifier, forge: Forge, claims: dict[str, Any], claim: str
) -> None:
    claims[claim] = ""
    assert verifier.verify(forge()) == rejected("invalid_claim")


# --- malformed ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not-a-token",
        "a.b",
        "a.b.c.d",
        "..",
        "a..c",
        "Bearer a.b.c",
        "a.b.c\n",
        " a.b.c",
        "a+b.c/d.e=f",
    ],
)
def test_given_text_that_is_not_a_compact_jws_when_verified_then_malformed(
    verifier: TokenVerifier, token: str
) -> None:
    assert verifier.verify(token) == rejected("malformed")


@pytest.mark.parametrize("token", ["\u00e9.\u00e9.\u00e9", "\udcff.a.b", "eyJ\u0000.e30.e30"])
def test_given_non_ascii_or_undecodable_text_when_verified_then_malformed(
    verifier: TokenVerifier, token: str
) -> None:
    assert verifier.verify(token) == rejected("malformed")


def test_given_a_token_longer_than_the_cap_when_verified_then_malformed(
    verifier: TokenVerifier, forge: Forge, claims: dict[str, Any]
) -> None:
    claims["padding"] = "x" * MAX_TOKEN_LENGTH
    assert verifier.verify(forge()) == rejected("malformed")


@pytest.mark.parametrize("header", [["HS256"], "alg", 1, None])
def test_given_a_header_that_is_not_a_json_object_when_verified_then_malformed(
    verifier: TokenVerifier, forge: Forge, header: object
) -> None:
    assert verifier.verify(forge(header=header)) == rejected("malformed")


def test_given_a_header_without_alg_when_verified_then_malformed(
    verifier: TokenVerifier, forge: Forge, header: dict[str, Any]
) -> None:
    """RFC 7515 makes ``alg`` required, so a header without one is not a JWS header at all."""
    del header["alg"]
    assert verifier.verify(forge()) == rejected("malformed")


def test_given_a_header_segment_that_is_not_json_when_verified_then_malformed(
    verifier: TokenVerifier, forge: Forge
) -> None:
    _, payload, signature = forge().split(".")
    assert verifier.verify(f"bm90IGpzb24.{payload}.{signature}") == rejected("malformed")


@pytest.mark.parametrize(
    "extra",
    [
        {"crit": ["exp"]},
        {"b64": False, "crit": ["b64"]},
        {"jku": "https://evil.example/jwks"},
        {"jwk": {"kty": "oct", "k": "c2VjcmV0"}},
        {"x5u": "https://evil.example/cert"},
        {"zip": "DEF"},
    ],
)
def test_given_a_header_parameter_our_tokens_never_carry_when_verified_then_malformed(
    verifier: TokenVerifier, forge: Forge, header: dict[str, Any], extra: dict[str, Any]
) -> None:
    header.update(extra)
    assert verifier.verify(forge()) == rejected("malformed")


def test_given_a_type_other_than_jwt_when_verified_then_malformed(
    verifier: TokenVerifier, forge: Forge, header: dict[str, Any]
) -> None:
    header["typ"] = "at+jwt+evil"
    assert verifier.verify(forge()) == rejected("malformed")


@pytest.mark.parametrize(
    "payload",
    [b"not json", b'["a", "list"]', b'"a string"', b"\xff\xfe{}", b"[" * 5000, b"1" * 5000],
)
def test_given_a_signed_payload_that_is_not_a_json_object_when_verified_then_malformed(
    verifier: TokenVerifier, forge: Forge, payload: bytes
) -> None:
    assert verifier.verify(forge(payload=payload)) == rejected("malformed")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
json_headers = (
    st.fixed_dictionaries(
        {},
        optional={
            "alg": st.sampled_from(["HS256", "none", "HS512", "RS256"]) | json_values,
            "kid": st.sampled_from(["k2025", "k2024", "k1999"]) | json_values,
            "typ": st.just("JWT") | json_values,
            "b64": json_values,
            "crit": json_values,
        },
    )
    | json_values
)
segments = st.binary(max_size=200).map(b64url)

token_like_text = st.one_of(
    st.text(max_size=300),
    st.lists(segments, min_size=1, max_size=4).map(".".join),
    st.tuples(
        json_headers.map(lambda header: b64url(json.dumps(header).encode())),
        json_values.map(lambda claims: b64url(json.dumps(claims).encode())),
        segments,
    ).map(".".join),
)


# The verifier holds no state between calls, so sharing one across examples is sound.
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=token_like_text)
def test_given_any_text_when_verified_then_it_is_rejected_without_raising(
    verifier: TokenVerifier, token: str
) -> None:
    assert isinstance(verifier.verify(token), Err)
