"""The 401/403 matrix for every route, generated from the app's own route table.

A new route that requires a scope is covered automatically; a new /v1 route that
is public without being on the short allow-list below fails the suite.
"""

import re

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from lml_api.access import declared_access
from lml_api.app import create_app
from lml_api.fakes import in_memory_container
from lml_api.tokens import build_tokens
from lml_auth import ALL_SCOPES
from lml_config import load_settings

# Stripe authenticates its webhook deliveries by signature, not by token.
PUBLIC_V1 = {("POST", "/v1/oauth/token"), ("GET", "/v1/status"), ("POST", "/v1/webhooks/stripe")}

SETTINGS = load_settings({})
APP = create_app(in_memory_container(SETTINGS))
TOKENS = build_tokens(SETTINGS)


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path)


def routes(app: Litestar) -> list[tuple[str, str, str | None]]:
    table = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            access = declared_access(handler)
            assert access is not None
            table.extend(
                (method, route.path, access.scope)
                for method in sorted(handler.http_methods)
                if method != "OPTIONS"
            )
    return table


SCOPED = [(m, p, s) for m, p, s in routes(APP) if s is not None]


def test_the_app_has_scoped_routes_to_check() -> None:
    assert len(SCOPED) >= 1


def test_every_public_v1_route_is_on_the_allow_list() -> None:
    public_v1 = {(m, p) for m, p, s in routes(APP) if s is None and p.startswith("/v1")}
    assert public_v1 <= PUBLIC_V1


def bearer(scopes: frozenset[str] | set[str], org: str = "org_matrix") -> dict[str, str]:
    token = TOKENS.issuer.issue("usr_matrix", org, scopes).access_token
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
async def client():
    async with AsyncTestClient(APP) as test_client:
        yield test_client


@pytest.mark.parametrize(("method", "path", "scope"), SCOPED)
async def test_without_a_token_every_scoped_route_answers_401(
    client: AsyncTestClient, method: str, path: str, scope: str
) -> None:
    response = await client.request(method, concrete(path))
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "path", "scope"), SCOPED)
async def test_with_every_scope_but_its_own_every_scoped_route_answers_403(
    client: AsyncTestClient, method: str, path: str, scope: str
) -> None:
    response = await client.request(method, concrete(path), headers=bearer(ALL_SCOPES - {scope}))
    assert response.status_code == 403
    assert response.json()["required_scope"] == scope


@pytest.mark.parametrize(("method", "path", "scope"), SCOPED)
async def test_with_another_org_in_x_org_id_every_scoped_route_answers_403(
    client: AsyncTestClient, method: str, path: str, scope: str
) -> None:
    headers = {**bearer(ALL_SCOPES), "X-Org-ID": "org_someone_else"}
    response = await client.request(method, concrete(path), headers=headers)
    assert response.status_code == 403
    assert response.json()["type"] == "/problems/org-mismatch"
