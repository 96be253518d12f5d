"""Use case: register an API client and hand out its secret, once."""

from __future__ import annotations

from dataclasses import dataclass, field

from lml_identity.application.grantable_scopes import grantable_scopes
from lml_identity.application.ports import (
    ApiClients,
    Organisations,
    PasswordHasher,
    SecretGenerator,
)
from lml_identity.domain import ApiClient, UnknownOrganisation, UnknownScopes
from lml_result import Err, Ok, Result
from lml_tracing import traced


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateApiClient:
    org_id: str
    name: str
    scopes: frozenset[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class CreatedApiClient:
    """The new client and its secret in clear: the only time anyone sees the secret."""

    client: ApiClient
    secret: str = field(repr=False)


@traced("identity.create_api_client")
async def create_api_client(
    cmd: CreateApiClient,
    *,
    organisations: Organisations,
    clients: ApiClients,
    hasher: PasswordHasher,
    secrets: SecretGenerator,
) -> Result[CreatedApiClient, UnknownOrganisation | UnknownScopes]:
    scopes = await grantable_scopes(cmd.org_id, cmd.scopes, organisations=organisations)
    if isinstance(scopes, Err):
        return scopes
    client = ApiClient(
        client_id=secrets.new_client_id(), org_id=cmd.org_id, name=cmd.name, scopes=scopes.value
    )
    secret = secrets.new_client_secret()
    await clients.add(client, await hasher.hash(secret))
    return Ok(CreatedApiClient(client=client, secret=secret))
