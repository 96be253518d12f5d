"""``GET /v1/users/me``: the signed-in user."""

from __future__ import annotations

import msgspec
from litestar import get
from litestar.di import NamedDependency

from lml_api.access import requires
from lml_api.container import Container
from lml_api.problems import unwrap
from lml_auth import Principal, Scope
from lml_identity.application import get_current_user


class Me(msgspec.Struct, frozen=True):
    id: str
    org_id: str
    username: str
    scopes: list[str]


@get(
    "/v1/users/me", summary="The user the token was issued to", opt=requires(Scope.IDENTITY_ME_READ)
)
async def me(principal: NamedDependency[Principal], container: NamedDependency[Container]) -> Me:
    user = unwrap(
        await get_current_user(principal.org_id, principal.subject, users=container.identity.users)
    )
    return Me(id=user.id, org_id=user.org_id, username=user.username, scopes=sorted(user.scopes))


ROUTES = [me]
