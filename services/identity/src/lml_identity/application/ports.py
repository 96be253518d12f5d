"""What the identity use cases need from the outside world, as Protocols.

Adapters in ``infrastructure`` (PostgreSQL, Argon2) and ``fakes`` (in memory)
implement these; the contract suites in ``tests/contract`` hold both to them.
"""

from __future__ import annotations

from typing import Protocol

import msgspec

from lml_identity.domain import (
    ApiClient,
    Organisation,
    OrganisationExists,
    User,
    UsernameTaken,
)
from lml_result import Result


class UserCredentials(msgspec.Struct, frozen=True, kw_only=True):
    """A user with the hash their password is checked against."""

    user: User
    password_hash: str


class ClientCredentials(msgspec.Struct, frozen=True, kw_only=True):
    """An API client with the hash its secret is checked against."""

    client: ApiClient
    secret_hash: str


class Organisations(Protocol):
    async def add(self, organisation: Organisation) -> Result[None, OrganisationExists]: ...

    async def get(self, org_id: str) -> Organisation | None: ...


class Users(Protocol):
    """Users of each organisation; a user is only ever found through its own organisation.

    Usernames arrive already normalised and are unique within an organisation.
    """

    async def add(self, user: User, password_hash: str) -> Result[None, UsernameTaken]: ...

    async def find_by_username(self, org_id: str, username: str) -> UserCredentials | None: ...

    async def get(self, org_id: str, user_id: str) -> User | None: ...

    async def set_password_hash(self, org_id: str, user_id: str, password_hash: str) -> None: ...


class ApiClients(Protocol):
    """API clients; found by ``client_id`` alone, because that is how a token request names them.

    Client ids are generated, so adding a duplicate is a bug and raises.
    """

    async def add(self, client: ApiClient, secret_hash: str) -> None: ...

    async def find(self, client_id: str) -> ClientCredentials | None: ...

    async def tenant_of(self, client_id: str) -> str | None:
        """The organisation of the client, the one fact readable before a tenant is known."""
        ...


class SignInAttempts(Protocol):
    """A budget of password attempts per username within one organisation.

    Spent before the password is checked, for unknown usernames exactly as for real
    ones. Usernames are unique per organisation only, so one organisation's attempts
    never lock a namesake out of another.
    """

    async def spend(self, org_id: str, username: str) -> None:
        """Count one attempt; when the budget is spent, raise the caller's own refusal
        (the API answers 429 with its rate-limit headers)."""
        ...


class PasswordHasher(Protocol):
    """Slow, salted hashing for passwords and client secrets.

    ``hash`` and ``verify`` are async so a CPU-heavy hasher can leave the event loop.
    """

    @property
    def dummy_hash(self) -> str:
        """A hash of no one's password, as costly to verify as a real one.

        Verifying against it when there is nothing to verify keeps an unknown user
        as slow as a wrong password.
        """
        ...

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool:
        """True only for the right password; False for a wrong one or an unreadable hash."""
        ...

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with weaker parameters than the hasher's current ones."""
        ...


class SecretGenerator(Protocol):
    """New identifiers and secrets; a port so tests can make them deterministic."""

    def new_organisation_id(self) -> str: ...

    def new_user_id(self) -> str: ...

    def new_client_id(self) -> str: ...

    def new_client_secret(self) -> str:
        """At least 32 random bytes, URL-safe text."""
        ...
