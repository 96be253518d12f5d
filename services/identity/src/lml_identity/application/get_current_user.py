"""Use case: the user a token speaks for (GET /v1/users/me)."""

from __future__ import annotations

from lml_identity.application.ports import Users
from lml_identity.domain import User, UserNotFound
from lml_result import Err, Ok, Result
from lml_tracing import traced


@traced("identity.get_current_user")
async def get_current_user(
    org_id: str, user_id: str, *, users: Users
) -> Result[User, UserNotFound]:
    """The user, looked up only within ``org_id``: another organisation's user is not found."""
    user = await users.get(org_id, user_id)
    if user is None:
        return Err(UserNotFound(user_id=user_id))
    return Ok(user)
