"""Every route declares who may call it; the guard enforces tokens, organisation and scope."""

import pytest
from litestar import Litestar, get
from litestar.di import NamedDependency
from litestar.testing import AsyncTestClient

from lml_api.access import requires
from lml_api.app import create_app, require_declared_access
from lml_api.fakes import in_memory_container
from lml_api.tokens import Tokens, build_tokens
from lml_auth import Principal
from lml_config import load_settings
from lml_metrics import render

SCOPE = "venues.read"


@get("/test/venues", opt=requires(SCOPE))
async def venues(principal: NamedDependency[Principal]) -> dict[str, str]:
    return {"org": principal.org_id, "sub": principal.subject}


@pytest.fixture
def tokens() -> Tokens:
    return build_tokens(load_settings({}))


@pytest.fixture
def app(app: Litestar) -> Litestar:
    app.register(venues)
    return app


def bearer(tokens: Tokens, *scopes: str, org: str = "org_a") -> dict[str, str]:
    token = tokens.issuer.issue("usr_1", org, scopes).access_token
    return {"Authorization": f"Bearer {token}"}


async def test_given_no_token_then_401_with_a_bearer_challenge(client: AsyncTestClient) -> None:
    response = await client.get("/test/venues")
    assert response.status_code == 401
    assert response.json()["type"] == "/problems/unauthenticated"
    assert response.headers["www-authenticate"] == 'Bearer realm="lml"'


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer not.a.jwt", "token"])
async def test_given_an_unusable_authorization_header_then_401(
    client: AsyncTestClient, header: str
) -> None:
    response = await client.get("/test/venues", headers={"Authorization": header})
    assert response.status_code == 401


async def test_given_a_token_from_another_signer_then_401_invalid_token(
    client: AsyncTestClient,
) -> None:
    foreign = build_tokens(
        load_settings({"LML_JWT_KEYS": "dev:b3RoZXItc2VydmljZS1rZXktdGhhdC1pcy1sb25nLWVub3VnaA"})
    )
    response = await client.get("/test/venues", headers=bearer(foreign, SCOPE))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


async def test_given_a_token_without_the_scope_then_403_naming_it(
    client: AsyncTestClient, tokens: Tokens
) -> None:
    response = await client.get("/test/venues", headers=bearer(tokens, "orders.read"))
    assert response.status_code == 403
    body = response.json()
    assert body["type"] == "/problems/insufficient-scope"
    assert body["required_scope"] == SCOPE


async def test_given_the_scope_then_the_handler_sees_the_principal(
    client: AsyncTestClient, tokens: Tokens
) -> None:
    response = await client.get("/test/venues", headers=bearer(tokens, SCOPE))
    assert response.status_code == 200
    assert response.json() == {"org": "org_a", "sub": "usr_1"}


async def test_given_x_org_id_of_another_org_then_403_org_mismatch(
    client: AsyncTestClient, tokens: Tokens
) -> None:
    headers = {**bearer(tokens, SCOPE), "X-Org-ID": "org_b"}
    response = await client.get("/test/venues", headers=headers)
    assert response.status_code == 403
    assert response.json()["type"] == "/problems/org-mismatch"


async def test_given_x_org_id_of_the_token_org_then_it_is_accepted(
    client: AsyncTestClient, tokens: Tokens
) -> None:
    headers = {**bearer(tokens, SCOPE), "X-Org-ID": "org_a"}
    assert (await client.get("/test/venues", headers=headers)).status_code == 200


def test_given_a_route_without_declared_access_then_the_app_refuses_to_build() -> None:
    @get("/test/undeclared")
    async def undeclared() -> None:
        return None

    settings = load_settings({})
    app = create_app(in_memory_container(settings))
    app.register(undeclared)
    with pytest.raises(RuntimeError, match="GET /test/undeclared"):
        require_declared_access(app)


async def test_given_an_authenticated_request_then_it_is_counted_for_its_tenant(
    client: AsyncTestClient, tokens: Tokens
) -> None:
    await client.get("/test/venues", headers=bearer(tokens, SCOPE, org="org_metrics"))
    text = render().decode()
    assert 'lml_http_tenant_requests_total{status_class="2xx",tenant="org_metrics"} 1.0' in text


async def test_given_many_bad_tokens_from_one_address_then_it_is_throttled_with_429(
    make_app,
) -> None:
    app = make_app(unauthenticated_attempts_per_ip="3")
    app.register(venues)
    async with AsyncTestClient(app) as client:
        bad = {"Authorization": "Bearer not.a.token"}
        answers = [(await client.get("/test/venues", headers=bad)).status_code for _ in range(4)]
        throttled = await client.get("/test/venues", headers=bad)
    assert answers == [401, 401, 401, 429]
    assert throttled.json()["type"] == "/problems/rate-limited"
    assert int(throttled.headers["retry-after"]) >= 1


async def test_given_bad_tokens_then_an_organisations_budget_is_untouched(
    make_app, tokens: Tokens
) -> None:
    app = make_app(unauthenticated_attempts_per_ip="2", rate_limit_budgets="*=5/60s")
    app.register(venues)
    async with AsyncTestClient(app) as client:
        for _ in range(4):
            await client.get("/test/venues", headers={"Authorization": "Bearer nope"})
        good = await client.get("/test/venues", headers=bearer(tokens, SCOPE))
    assert good.status_code == 200
    assert good.headers["x-ratelimit-remaining"] == "4"
