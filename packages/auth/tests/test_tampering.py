"""Changing any single byte of a genuine token must not yield a different principal."""

import base64

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lml_auth import TokenIssuer, TokenRejected, TokenVerifier
from lml_result import Err, Ok

BASE64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

# The issuer and verifier hold no state between calls, so sharing them across examples is sound.
TAMPERING = settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def token(issuer: TokenIssuer) -> str:
    return issuer.issue("user-1", "org-1", ["orders.read", "venues.read"]).access_token


def lenient_segments(token: str) -> list[bytes] | None:
    """Decode each segment ignoring the unused low bits of its last character.

    Two encodings that differ only in those bits carry the same bytes, so if the verifier
    accepted such a change the principal would still be the genuine one.
    """
    parts = token.split(".")
    if len(parts) != 3 or not all(part.isascii() for part in parts):
        return None
    try:
        return [base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)) for part in parts]
    except ValueError:
        return None


def assert_rejected_or_identical(verifier: TokenVerifier, original: str, tampered: str) -> None:
    outcome = verifier.verify(tampered)
    if isinstance(outcome, Err):
        return
    assert lenient_segments(tampered) == lenient_segments(original)
    assert outcome == verifier.verify(original)


@TAMPERING
@given(data=st.data())
def test_given_a_genuine_token_when_any_byte_has_bits_flipped_then_it_is_rejected_or_unchanged(
    verifier: TokenVerifier, token: str, data: st.DataObject
) -> None:
    raw = bytearray(token.encode("ascii"))
    position = data.draw(st.integers(0, len(raw) - 1), label="position")
    raw[position] ^= data.draw(st.integers(1, 255), label="mask")
    # latin-1 maps every byte to one character, as an HTTP header value would arrive.
    assert_rejected_or_identical(verifier, token, raw.decode("latin-1"))


@TAMPERING
@given(data=st.data())
def test_given_a_genuine_token_when_any_character_is_replaced_then_it_is_rejected_or_unchanged(
    verifier: TokenVerifier, token: str, data: st.DataObject
) -> None:
    position = data.draw(st.integers(0, len(token) - 1), label="position")
    replacement = data.draw(
        st.sampled_from(BASE64URL_ALPHABET).filter(lambda char: char != token[position]),
        label="replacement",
    )
    tampered = token[:position] + replacement + token[position + 1 :]
    assert_rejected_or_identical(verifier, token, tampered)


def test_given_a_signature_with_its_unused_trailing_bits_set_when_verified_then_signature(
    verifier: TokenVerifier, token: str
) -> None:
    """A 32-byte HMAC is 43 characters whose last carries 2 unused bits; setting them must
    not yield a second valid encoding of the same token."""
    last = token[-1]
    twin = BASE64URL_ALPHABET[BASE64URL_ALPHABET.index(last) | 0b11]
    assert twin != last
    tampered = token[:-1] + twin
    assert lenient_segments(tampered) == lenient_segments(token)
    assert verifier.verify(tampered) == Err(TokenRejected("signature"))


def test_given_the_genuine_token_when_verified_then_it_is_accepted(
    verifier: TokenVerifier, token: str
) -> None:
    assert isinstance(verifier.verify(token), Ok)
