"""Use case: the OAuth password grant (RFC 6749 section 4.3)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lml_identity.application.ports import ApiClients, PasswordHasher, SignInAttempts, Users
from lml_identity.application.verify_secret import verify_secret
from lml_identity.domain import (
    MAX_PASSWORD_LENGTH,
    Grant,
    InvalidClient,
    InvalidGrant,
    InvalidScope,
    grant_for,
    normalise_username,
)
from lml_result import Err, Ok, Result
from lml_tracing import traced


@dataclass(frozen=True, slots=True, kw_only=True)
class PasswordGrant:
    client_id: str
    username: str
    password: str = field(repr=False)
    requested_scopes: frozenset[str] | None = None


@traced("identity.authenticate_password")
async def authenticate_password(
    grant: PasswordGrant,
    *,
    clients: ApiClients,
    users: Users,
    hasher: PasswordHasher,
    attempts: SignInAttempts,
) -> Result[Grant, InvalidClient | InvalidGrant | InvalidScope]:
    """Log a user in through the organisation of the client they name.

    An unknown username and a wrong password answer the same ``InvalidGrant`` after
    the same work, one hash verification, so neither the answer nor its timing tells
    which usernames exist; both spend the same attempt of the organisation's budget
    for that username. A password longer than any user can have is refused before
    hashing, which tells nothing about the user. The scopes granted are the user's own.
    """
    org_id = await clients.tenant_of(grant.client_id)
    if org_id is None:
        return Err(InvalidClient())
    username = normalise_username(grant.username)
    await attempts.spend(org_id, username.value if isinstance(username, Ok) else grant.username)
    if len(grant.password) > MAX_PASSWORD_LENGTH:
        return Err(InvalidGrant())
    credentials = (
        await users.find_by_username(org_id, username.value) if isinstance(username, Ok) else None
    )
    stored_hash = None if credentials is None else credentials.password_hash
    if not await verify_secret(hasher, stored_hash, grant.password) or credentials is None:
        return Err(InvalidGrant())
    user = credentials.user
    if hasher.needs_rehash(credentials.password_hash):
        await users.set_password_hash(org_id, user.id, await hasher.hash(grant.password))
    return grant_for(user.id, org_id, grant.requested_scopes, user.scopes)
