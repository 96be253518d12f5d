"""Expected outcomes of the identity use cases, as small frozen values."""

from __future__ import annotations

from typing import Literal

import msgspec


class OrganisationExists(msgspec.Struct, frozen=True, kw_only=True):
    org_id: str


class UnknownOrganisation(msgspec.Struct, frozen=True, kw_only=True):
    org_id: str


class UsernameTaken(msgspec.Struct, frozen=True, kw_only=True):
    username: str


class InvalidUsername(msgspec.Struct, frozen=True, kw_only=True):
    reason: Literal["empty", "too_long", "control_character"]


class WeakPassword(msgspec.Struct, frozen=True, kw_only=True):
    reason: Literal["too_short", "too_long"]


class UnknownScopes(msgspec.Struct, frozen=True, kw_only=True):
    """Scopes given to a user or client that the API does not define."""

    scopes: frozenset[str]


class UserNotFound(msgspec.Struct, frozen=True, kw_only=True):
    user_id: str


class InvalidClient(msgspec.Struct, frozen=True):
    """OAuth ``invalid_client``: unknown client or wrong secret, never saying which."""


class InvalidGrant(msgspec.Struct, frozen=True):
    """OAuth ``invalid_grant``: unknown user or wrong password, never saying which."""


class InvalidScope(msgspec.Struct, frozen=True, kw_only=True):
    """OAuth ``invalid_scope``: the request asked for scopes the principal may not have."""

    scopes: frozenset[str]
