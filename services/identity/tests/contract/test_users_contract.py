"""The Users port, run against the in-memory fake and PostgreSQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from lml_identity.application import UserCredentials, Users
from lml_identity.domain import Organisation, User, UsernameTaken
from lml_result import Err, Ok

NewId = Callable[[str], str]
NewOrganisation = Callable[[], Awaitable[Organisation]]
HASH = "hash-of-the-password"
SCOPES = frozenset({"identity.me.read", "orders.read"})


def user_in(org: Organisation, new_id: NewId, username: str = "alice") -> User:
    return User(id=new_id("usr"), org_id=org.id, username=username, scopes=SCOPES)


async def test_given_an_added_user_then_it_is_found_by_username_with_its_hash(
    users: Users, new_organisation: NewOrganisation, new_id: NewId
) -> None:
    org = await new_organisation()
    alice = user_in(org, new_id)

    assert await users.add(alice, HASH) == Ok(None)
    assert await users.find_by_username(org.id, "alice") == UserCredentials(
        user=alice, password_hash=HASH
    )


async def test_given_an_added_user_then_it_is_found_by_id(
    users: Users, new_organisation: NewOrganisation, new_id: NewId
) -> None:
    org = await new_organisation()
    alice = user_in(org, new_id)
    await users.add(alice, HASH)

    assert await users.get(org.id, alice.id) == alice


async def test_given_a_user_without_scopes_then_it_comes_back_without_scopes(
    users: Users, new_organisation: NewOrganisation, new_id: NewId
) -> None:
    org = await new_organisation()
    nobody = User(id=new_id("usr"), org_id=org.id, username="nobody", scopes=frozenset())
    await users.add(nobody, HASH)

    assert await users.get(org.id, nobody.id) == nobody


async def test_given_unknown_ids_then_no_user_is_found(
    users: Users, new_organisation: NewOrganisation, new_id: NewId
) -> None:
    org = await new_organisation()

    assert await users.get(org.id, new_id("usr")) is None
    assert await users.find_by_username(org.id, "nobody") is None


async def test_a_user_of_one_organisation_is_never_found_through_another(
    users: Users, new_organisation: NewOrganisation, new_id: NewId
) -> None:
    org_a, org_b = await new_organisation(), await new_organisation()
    alice = user_in(org_a, new_id)
    await users.add(alice, HASH)

    assert await users.get(org_b.id, alice.id) is None
    assert await users.find_by_username(org_b.id, "alice") is None


async def test_given_a_taken_username_in_the_organisation_when_added_then_it_is_taken(
    users: Users, new_organisation: NewOrganisation, new_id: NewId
) -> None:
    org = await new_organisation()
    first = user_in(org, new_id)
    await users.add(first, HASH)

    assert await users.add(user_in(org, new_id), "other-hash") == Err(
        UsernameTaken(username="alice")
    )
    assert await users.find_by_username(org.id, "alice") == UserCredentials(
        user=first, password_hash=HASH
    )


async def test_the_same_username_may_exist_in_two_organisations(
    users: Users, new_organisation: NewOrganisation, new_id: NewId
) -> None:
    org_a, org_b = await new_organisation(), await new_organisation()
    alice_a, alice_b = user_in(org_a, new_id), user_in(org_b, new_id)

    assert await users.add(alice_a, "hash-a") == Ok(None)
    assert await users.add(alice_b, "hash-b") == Ok(None)
    assert await users.find_by_username(org_a.id, "alice") == UserCredentials(
        user=alice_a, password_hash="hash-a"
    )
    assert await users.find_by_username(org_b.id, "alice") == UserCredentials(
        user=alice_b, password_hash="hash-b"
    )


async def test_given_a_new_password_hash_then_the_user_is_found_with_it(
    users: Users, new_organisation: NewOrganisation, new_id: NewId
) -> None:
    org = await new_organisation()
    alice = user_in(org, new_id)
    await users.add(alice, HASH)

    await users.set_password_hash(org.id, alice.id, "stronger-hash")

    assert await users.find_by_username(org.id, "alice") == UserCredentials(
        user=alice, password_hash="stronger-hash"
    )


async def test_a_password_hash_cannot_be_replaced_through_another_organisation(
    users: Users, new_organisation: NewOrganisation, new_id: NewId
) -> None:
    org_a, org_b = await new_organisation(), await new_organisation()
    alice = user_in(org_a, new_id)
    await users.add(alice, HASH)

    await users.set_password_hash(org_b.id, alice.id, "attacker-hash")

    assert await users.find_by_username(org_a.id, "alice") == UserCredentials(
        user=alice, password_hash=HASH
    )
