"""Use case: add a user with a password and scopes to an organisation."""

from __future__ import annotations

from dataclasses import dataclass, field

from lml_auth.scopes import ALL_SCOPES
from lml_identity.application.ports import Organisations, PasswordHasher, SecretGenerator, Users
from lml_identity.domain import (
    InvalidUsername,
    UnknownOrganisation,
    UnknownScopes,
    User,
    UsernameTaken,
    WeakPassword,
    check_password,
    known_scopes,
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
    scopes = known_scopes(cmd.scopes, ALL_SCOPES)
    if isinstance(scopes, Err):
        return scopes
    if await organisations.get(cmd.org_id) is None:
        return Err(UnknownOrganisation(org_id=cmd.org_id))
    user = User(
        id=secrets.new_user_id(), org_id=cmd.org_id, username=username.value, scopes=scopes.value
    )
    added = await users.add(user, await hasher.hash(cmd.password))
    if isinstance(added, Err):
        return added
    return Ok(user)
