"""The PasswordHasher port, run against the fake and Argon2 (with a cheap cost, for speed)."""

from __future__ import annotations

from dataclasses import dataclass

import argon2
import pytest

from lml_identity.application import PasswordHasher
from lml_identity.fakes import FakePasswordHasher
from lml_identity.infrastructure import Argon2PasswordHasher

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True, slots=True)
class Hashers:
    current: PasswordHasher
    older: PasswordHasher  # the same kind of hasher, configured with weaker parameters


def cheap_argon2(time_cost: int) -> Argon2PasswordHasher:
    return Argon2PasswordHasher(
        argon2.PasswordHasher(time_cost=time_cost, memory_cost=8, parallelism=1)
    )


@pytest.fixture(params=["fake", "argon2"])
def hashers(request: pytest.FixtureRequest) -> Hashers:
    if request.param == "fake":
        return Hashers(current=FakePasswordHasher(version=2), older=FakePasswordHasher(version=1))
    return Hashers(current=cheap_argon2(time_cost=2), older=cheap_argon2(time_cost=1))


@pytest.fixture
def hasher(hashers: Hashers) -> PasswordHasher:
    return hashers.current


async def test_given_a_hash_then_the_right_password_verifies(hasher: PasswordHasher) -> None:
    assert await hasher.verify(await hasher.hash(PASSWORD), PASSWORD) is True


async def test_given_a_hash_then_a_wrong_password_does_not_verify(hasher: PasswordHasher) -> None:
    assert await hasher.verify(await hasher.hash(PASSWORD), PASSWORD + "!") is False


async def test_a_hash_never_contains_the_password(hasher: PasswordHasher) -> None:
    assert PASSWORD not in await hasher.hash(PASSWORD)


@pytest.mark.parametrize("garbage", ["", "not a hash", "$argon2id$v=19$m=8,t=1,p=1$xx", "fake$x$y"])
async def test_given_an_unreadable_hash_then_nothing_verifies_and_nothing_raises(
    hasher: PasswordHasher, garbage: str
) -> None:
    assert await hasher.verify(garbage, PASSWORD) is False


async def test_the_dummy_hash_matches_no_password_one_might_try(hasher: PasswordHasher) -> None:
    for guess in ("", PASSWORD, "password", "not anyone's password"):
        assert await hasher.verify(hasher.dummy_hash, guess) is False


async def test_the_dummy_hash_is_made_with_the_current_parameters(hasher: PasswordHasher) -> None:
    assert hasher.needs_rehash(hasher.dummy_hash) is False


async def test_a_fresh_hash_needs_no_rehash(hasher: PasswordHasher) -> None:
    assert hasher.needs_rehash(await hasher.hash(PASSWORD)) is False


async def test_a_hash_made_with_older_parameters_still_verifies_but_needs_a_rehash(
    hashers: Hashers,
) -> None:
    old_hash = await hashers.older.hash(PASSWORD)

    assert await hashers.current.verify(old_hash, PASSWORD) is True
    assert hashers.current.needs_rehash(old_hash) is True


async def test_two_hashes_of_one_password_differ_for_a_salted_hasher() -> None:
    hasher = cheap_argon2(time_cost=1)

    assert await hasher.hash(PASSWORD) != await hasher.hash(PASSWORD)
