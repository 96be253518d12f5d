"""Organisations, their users and API clients, and the grant a successful login yields."""

from __future__ import annotations

import msgspec


class Organisation(msgspec.Struct, frozen=True, kw_only=True):
    """A tenant: every user, client and resource belongs to exactly one."""

    id: str
    name: str


class User(msgspec.Struct, frozen=True, kw_only=True):
    """A person who logs in with a password; ``username`` is stored normalised."""

    id: str
    org_id: str
    username: str
    scopes: frozenset[str]


class ApiClient(msgspec.Struct, frozen=True, kw_only=True):
    """A machine principal that authenticates with its ``client_id`` and a secret."""

    client_id: str
    org_id: str
    name: str
    scopes: frozenset[str]


class Grant(msgspec.Struct, frozen=True, kw_only=True):
    """What a token may say after a successful grant: who, in which organisation, allowed what.

    ``subject`` is the user id for the password grant and the client id for
    client credentials.
    """

    subject: str
    org_id: str
    scopes: frozenset[str]
