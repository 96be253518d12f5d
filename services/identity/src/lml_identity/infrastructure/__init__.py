"""Adapters of the identity ports: PostgreSQL repositories, Argon2 hashing, OS randomness."""

from lml_identity.infrastructure.argon2_password_hasher import Argon2PasswordHasher
from lml_identity.infrastructure.postgres_api_clients import PostgresApiClients
from lml_identity.infrastructure.postgres_organisations import PostgresOrganisations
from lml_identity.infrastructure.postgres_users import PostgresUsers
from lml_identity.infrastructure.random_secrets import RandomSecrets

__all__ = [
    "Argon2PasswordHasher",
    "PostgresApiClients",
    "PostgresOrganisations",
    "PostgresUsers",
    "RandomSecrets",
]
