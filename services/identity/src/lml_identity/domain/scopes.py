"""Which scopes a principal gets, and which names are not scopes at all."""

from __future__ import annotations

from lml_identity.domain.errors import InvalidScope, UnknownScopes
from lml_identity.domain.models import Grant
from lml_result import Err, Ok, Result


def granted_scopes(
    requested: frozenset[str] | None, allowed: frozenset[str]
) -> Result[frozenset[str], InvalidScope]:
    """The scopes to grant: all ``allowed`` when none are requested, else exactly those requested.

    An empty request counts as none: a token with no scope could do nothing. Asking
    for any scope outside ``allowed`` fails the whole request rather than silently
    narrowing it, so a client never receives less than it believes it holds.
    """
    if not requested:
        return Ok(allowed)
    refused = requested - allowed
    if refused:
        return Err(InvalidScope(scopes=refused))
    return Ok(requested)


def known_scopes(
    scopes: frozenset[str], known: frozenset[str]
) -> Result[frozenset[str], UnknownScopes]:
    """``scopes`` unchanged when every name is one of the ``known`` scopes."""
    unknown = scopes - known
    if unknown:
        return Err(UnknownScopes(scopes=unknown))
    return Ok(scopes)


def grant_for(
    subject: str, org_id: str, requested: frozenset[str] | None, allowed: frozenset[str]
) -> Result[Grant, InvalidScope]:
    """What an authenticated user or client gets: its ``granted_scopes`` in its organisation."""
    match granted_scopes(requested, allowed):
        case Err() as refused:
            return refused
        case Ok(scopes):
            return Ok(Grant(subject=subject, org_id=org_id, scopes=scopes))
