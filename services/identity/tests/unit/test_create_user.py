"""Creating a user in an organisation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from lml_identity.application import CreateUser, CreateUserError, create_user
from lml_identity.domain import (
    InvalidUsername,
    Organisation,
    UnknownOrganisation,
    UnknownScopes,
    User,
    UsernameTaken,
    WeakPassword,
)
from lml_identity.fakes import FakePasswordHasher, FakeSecrets, InMemoryOrganisations, InMemoryUsers
from lml_result import Err, Ok, Result

PASSWORD = "a long enough passphrase"
SCOPES = frozenset({"orders.read"})

CreateUserFn = Callable[..., Awaitable[Result[User, CreateUserError]]]


@pytest.fixture
def create(
    organisations: InMemoryOrganisations,
    users: InMemoryUsers,
    hasher: FakePasswordHasher,
    secrets: FakeSecrets,
    org: Organisation,
) -> CreateUserFn:
    """``create_user`` with the fakes wired in and defaults for anything a test leaves out."""

    async def run(
        *,
        username: str = "bob",
        password: str = PASSWORD,
        scopes: frozenset[str] = SCOPES,
        org_id: str = org.id,
    ) -> Result[User, CreateUserError]:
        return await create_user(
            CreateUser(org_id=org_id, username=username, password=password, scopes=scopes),
            organisations=organisations,
            users=users,
            hasher=hasher,
            secrets=secrets,
        )

    return run


async def test_given_valid_details_when_created_then_the_user_is_stored_with_a_normalised_name(
    create: CreateUserFn, users: InMemoryUsers, org: Organisation
) -> None:
    result = await create(username="  Bob ")

    assert isinstance(result, Ok)
    assert result.value == User(id=result.value.id, org_id=org.id, username="bob", scopes=SCOPES)
    assert await users.get(org.id, result.value.id) == result.value


async def test_given_a_new_user_then_only_a_hash_of_the_password_is_stored(
    create: CreateUserFn, users: InMemoryUsers, hasher: FakePasswordHasher, org: Organisation
) -> None:
    await create(username="bob", password=PASSWORD)

    stored = await users.find_by_username(org.id, "bob")
    assert stored is not None
    assert PASSWORD not in stored.password_hash
    assert await hasher.verify(stored.password_hash, PASSWORD)


async def test_given_a_taken_username_in_another_spelling_when_created_then_it_is_taken(
    create: CreateUserFn,
) -> None:
    await create(username="bob")

    assert await create(username="BOB") == Err(UsernameTaken(username="bob"))


async def test_given_the_same_username_in_another_organisation_then_both_exist(
    create: CreateUserFn, organisations: InMemoryOrganisations
) -> None:
    await organisations.add(Organisation(id="org_other", name="Other"))
    await create(username="bob")

    assert isinstance(await create(username="bob", org_id="org_other"), Ok)


async def test_given_an_unknown_organisation_when_created_then_it_is_refused(
    create: CreateUserFn,
) -> None:
    assert await create(org_id="org_nowhere") == Err(UnknownOrganisation(org_id="org_nowhere"))


async def test_given_a_short_password_when_created_then_it_is_weak_and_nothing_is_hashed(
    create: CreateUserFn, hasher: FakePasswordHasher
) -> None:
    hashes_before = hasher.hash_calls

    assert await create(password="too short") == Err(WeakPassword(reason="too_short"))
    assert hasher.hash_calls == hashes_before


async def test_given_an_overlong_password_when_created_then_it_is_refused(
    create: CreateUserFn,
) -> None:
    assert await create(password="x" * 1025) == Err(WeakPassword(reason="too_long"))


async def test_given_an_unknown_scope_when_created_then_the_unknown_scopes_are_named(
    create: CreateUserFn,
) -> None:
    result = await create(scopes=frozenset({"orders.read", "superuser"}))

    assert result == Err(UnknownScopes(scopes=frozenset({"superuser"})))


async def test_given_a_blank_username_when_created_then_it_is_invalid(
    create: CreateUserFn,
) -> None:
    assert await create(username="   ") == Err(InvalidUsername(reason="empty"))


async def test_given_a_refused_user_then_nothing_is_stored(
    create: CreateUserFn, users: InMemoryUsers, org: Organisation
) -> None:
    await create(username="bob", scopes=frozenset({"superuser"}))

    assert await users.find_by_username(org.id, "bob") is None


def test_a_create_user_command_never_shows_its_password() -> None:
    command = CreateUser(org_id="org_1", username="bob", password=PASSWORD, scopes=SCOPES)

    assert PASSWORD not in repr(command)
