"""Reading the current user: only ever within the token's organisation."""

from __future__ import annotations

from lml_identity.application import get_current_user
from lml_identity.domain import Organisation, User, UserNotFound
from lml_identity.fakes import InMemoryOrganisations, InMemoryUsers
from lml_result import Err, Ok


async def test_given_a_user_of_the_organisation_then_it_is_returned(
    users: InMemoryUsers, alice: User
) -> None:
    assert await get_current_user(alice.org_id, alice.id, users=users) == Ok(alice)


async def test_given_an_unknown_user_id_then_the_user_is_not_found(
    users: InMemoryUsers, org: Organisation
) -> None:
    assert await get_current_user(org.id, "usr_ghost", users=users) == Err(
        UserNotFound(user_id="usr_ghost")
    )


async def test_given_another_organisation_then_its_user_is_not_found(
    organisations: InMemoryOrganisations, users: InMemoryUsers, alice: User
) -> None:
    await organisations.add(Organisation(id="org_other", name="Other"))

    assert await get_current_user("org_other", alice.id, users=users) == Err(
        UserNotFound(user_id=alice.id)
    )
