"""Tokens an attacker could build without our secret: each must fail."""

from collections.abc import Callable
from typing import Any

import pytest

from lml_auth import SigningKey, TokenRejected, TokenVerifier
from lml_result import Err

Forge = Callable[..., str]


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
def test_given_an_unsigned_alg_none_token_naming_a_real_kid_when_verified_then_algorithm(
    verifier: TokenVerifier, forge: Forge, header: dict[str, Any], alg: str
) -> None:
    header["alg"] = alg
    unsigned = forge().rsplit(".", 1)[0] + "."
    assert verifier.verify(unsigned) == Err(TokenRejected("algorithm"))


def test_given_an_alg_none_token_carrying_a_genuine_signature_when_verified_then_algorithm(
    verifier: TokenVerifier, forge: Forge, header: dict[str, Any]
) -> None:
    header["alg"] = "none"
    assert verifier.verify(forge()) == Err(TokenRejected("algorithm"))


def test_given_hs256_with_a_real_kid_and_a_guessed_secret_when_verified_then_signature(
    verifier: TokenVerifier, forge: Forge
) -> None:
    assert verifier.verify(forge(secret=b"guessed-secret-of-32-bytes-long!")) == Err(
        TokenRejected("signature")
    )


def test_given_hs256_signed_by_one_ring_key_but_naming_another_when_verified_then_signature(
    verifier: TokenVerifier,
    forge: Forge,
    header: dict[str, Any],
    signing_key: SigningKey,
    verify_only_key: SigningKey,
) -> None:
    header["kid"] = verify_only_key.kid
    assert verifier.verify(forge(secret=signing_key.secret)) == Err(TokenRejected("signature"))
