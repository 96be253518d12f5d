"""Passwords are 12 to 1024 characters long; nothing else is demanded of them."""

from __future__ import annotations

from lml_identity.domain import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    WeakPassword,
    check_password,
)
from lml_result import Err, Ok


def test_given_one_character_too_few_then_the_password_is_too_short() -> None:
    assert check_password("x" * (MIN_PASSWORD_LENGTH - 1)) == Err(WeakPassword(reason="too_short"))


def test_given_exactly_the_minimum_then_the_password_is_accepted() -> None:
    assert check_password("x" * MIN_PASSWORD_LENGTH) == Ok(None)


def test_given_exactly_the_maximum_then_the_password_is_accepted() -> None:
    assert check_password("x" * MAX_PASSWORD_LENGTH) == Ok(None)


def test_given_one_character_too_many_then_the_password_is_too_long() -> None:
    assert check_password("x" * (MAX_PASSWORD_LENGTH + 1)) == Err(WeakPassword(reason="too_long"))


def test_length_counts_characters_not_bytes() -> None:
    assert check_password("\u00e9" * MIN_PASSWORD_LENGTH) == Ok(None)
