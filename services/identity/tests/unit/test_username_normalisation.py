"""Usernames are compared after NFKC, case folding and trimming."""

from __future__ import annotations

import pytest

from lml_identity.domain import MAX_USERNAME_LENGTH, InvalidUsername, normalise_username
from lml_result import Err, Ok


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        pytest.param("alice", "alice", id="already normal"),
        pytest.param("ALICE", "alice", id="upper case"),
        pytest.param("  Alice\t", "alice", id="surrounding whitespace"),
        pytest.param("\uff21\uff4c\uff49\uff43\uff45", "alice", id="full-width letters"),
        pytest.param("Stra\u00dfe", "strasse", id="sharp s folds to ss"),
        pytest.param("\u00a0bob\u00a0", "bob", id="no-break spaces"),
        pytest.param("Ren\u0065\u0301", "ren\u00e9", id="combining accent composes"),
        pytest.param("Alice@Example.COM", "alice@example.com", id="an e-mail address"),
    ],
)
def test_equivalent_spellings_normalise_to_one_username(given: str, stored: str) -> None:
    assert normalise_username(given) == Ok(stored)


@pytest.mark.parametrize("blank", ["", "   ", "\u00a0\t\n"])
def test_given_a_blank_username_then_it_is_invalid(blank: str) -> None:
    assert normalise_username(blank) == Err(InvalidUsername(reason="empty"))


def test_given_a_username_longer_than_the_limit_then_it_is_invalid() -> None:
    assert normalise_username("a" * (MAX_USERNAME_LENGTH + 1)) == Err(
        InvalidUsername(reason="too_long")
    )


def test_given_a_control_character_inside_then_it_is_invalid() -> None:
    assert normalise_username("ali\x00ce") == Err(InvalidUsername(reason="control_character"))
