"""Use case: the OAuth client credentials grant (RFC 6749 section 4.4)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lml_identity.application.ports import ApiClients, PasswordHasher
from lml_identity.application.verify_secret import verify_secret
from lml_identity.domain import (
    MAX_PASSWORD_LENGTH,
    Grant,
    InvalidClient,
    InvalidScope,
    grant_for,
)
from lml_result import Err, Result
from lml_tracing import traced


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientCredentialsGrant:
    client_id: str
    client_secret: str = field(repr=False)
    requested_scopes: frozenset[str] | None = None


@traced("identity.authenticate_client")
async def authenticate_client(
    grant: ClientCredentialsGrant, *, clients: ApiClients, hasher: PasswordHasher
) -> Result[Grant, InvalidClient | InvalidScope]:
    """Authenticate a client by its secret; an unknown client costs one verification too.

    Secrets are far shorter than the password limit, so a longer one is refused
    before anything is looked up or hashed.
    """
    if len(grant.client_secret) > MAX_PASSWORD_LENGTH:
        return Err(InvalidClient())
    credentials = await clients.find(grant.client_id)
    stored_hash = None if credentials is None else credentials.secret_hash
    if not await verify_secret(hasher, stored_hash, grant.client_secret) or credentials is None:
        return Err(InvalidClient())
    client = credentials.client
    return grant_for(client.client_id, client.org_id, grant.requested_scopes, client.scopes)
