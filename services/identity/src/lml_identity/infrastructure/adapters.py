"""The identity context's adapters, built from an open PostgreSQL pool."""

from __future__ import annotations

from dataclasses import dataclass

from lml_identity.application import (
    ApiClients,
    Organisations,
    PasswordHasher,
    SecretGenerator,
    Users,
)
from lml_identity.infrastructure.argon2_password_hasher import Argon2PasswordHasher
from lml_identity.infrastructure.postgres_api_clients import PostgresApiClients
from lml_identity.infrastructure.postgres_organisations import PostgresOrganisations
from lml_identity.infrastructure.postgres_users import PostgresUsers
from lml_identity.infrastructure.random_secrets import RandomSecrets
from lml_postgres import AppPool


@dataclass(frozen=True)
class IdentityAdapters:
    """An adapter for each identity port."""

    organisations: Organisations
    users: Users
    clients: ApiClients
    hasher: PasswordHasher
    secrets: SecretGenerator


def postgres_identity(pool: AppPool) -> IdentityAdapters:
    return IdentityAdapters(
        organisations=PostgresOrganisations(pool),
        users=PostgresUsers(pool),
        clients=PostgresApiClients(pool),
        hasher=Argon2PasswordHasher(),
        secrets=RandomSecrets(),
    )
