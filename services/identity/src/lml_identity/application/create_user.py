"""Use case: add a user with a password and scopes to an organisation."""

from __future__ import annotations

from dataclasses import dataclass, field

from lml_identity.application.grantable_scopes import grantable_scopes
from lml_identity.application.ports import Organisations, PasswordHasher, SecretGenerator, Users
from lml_identity.domain import (
    InvalidUsername,
    UnknownOrganisation,
    UnknownScopes,
    User,
    UsernameTaken,
    WeakPassword,
    check_password,
    normalise_username,
)
from lml_result import Err, Ok, Result
from lml_tracing import traced


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateUser:
    org_id: str
    username: str
    password: str = field(repr=False)
    scopes: frozenset[str]


CreateUserError = (
    UnknownOrganisation | InvalidUsername | UsernameTaken | WeakPassword | UnknownScopes
)


@traced("identity.create_user")
async def create_user(
    cmd: CreateUser,
    *,
    organisations: Organisations,
    users: Users,
    hasher: PasswordHasher,
    secrets: SecretGenerator,
) -> Result[User, CreateUserError]:
    """Validate everything cheap first, so a rejected request never pays for a hash."""
    username = normalise_username(cmd.username)
    if isinstance(username, Err):
        return username
    password = check_password(cmd.password)
    if isinstance(password, Err):
        return password
    scopes = await grantable_scopes(cmd.org_id, cmd.scopes, organisations=organisations)
    if isinstance(scopes, Err):
        return scopes
    user = User(
        id=secrets.new_user_id(), org_id=cmd.org_id, username=username.value, scopes=scopes.value
    )
    added = await users.add(user, await hasher.hash(cmd.password))
    if isinstance(added, Err):
        return added
    return Ok(user)
