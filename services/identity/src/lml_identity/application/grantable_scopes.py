"""The scopes a new user or API client may be given, checked the same way for both."""

from __future__ import annotations

from lml_auth.scopes import ALL_SCOPES
from lml_identity.application.ports import Organisations
from lml_identity.domain import UnknownOrganisation, UnknownScopes, known_scopes
from lml_result import Err, Result


async def grantable_scopes(
    org_id: str, scopes: frozenset[str], *, organisations: Organisations
) -> Result[frozenset[str], UnknownScopes | UnknownOrganisation]:
    """``scopes`` when the API defines every one and the organisation exists.

    The scopes are checked first: that costs no query.
    """
    known = known_scopes(scopes, ALL_SCOPES)
    if isinstance(known, Err):
        return known
    if await organisations.get(org_id) is None:
        return Err(UnknownOrganisation(org_id=org_id))
    return known
