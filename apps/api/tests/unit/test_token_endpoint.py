"""POST /v1/oauth/token with in-memory identity: both grants and every RFC 6749 error."""

import base64
from dataclasses import dataclass

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from lml_api.app import create_app
from lml_api.container import Container
from lml_api.fakes import in_memory_container
from lml_api.tokens import build_tokens
from lml_config import load_settings
from lml_identity.application import (
    CreateApiClient,
    CreateOrganisation,
    CreateUser,
    create_api_client,
    create_organisation,
    create_user,
)

TOKEN = "/v1/oauth/token"
PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Seeded:
    org_id: str
    client_id: str
    client_secret: str
    username: str = "alice@example.com"


async def seed(container: Container, org_name: str = "Acme Tickets") -> Seeded:
    ports = container.identity
    org = (
        await create_organisation(
            CreateOrganisation(name=org_name),
            organisations=ports.organisations,
            secrets=ports.secrets,
        )
    ).value
    await create_user(
        CreateUser(
            org_id=org.id,
            username="alice@example.com",
            password=PASSWORD,
            scopes=frozenset({"identity.me.read", "venues.read"}),
        ),
        organisations=ports.organisations,
        users=ports.users,
        hasher=ports.hasher,
        secrets=ports.secrets,
    )
    created = (
        await create_api_client(
            CreateApiClient(org_id=org.id, name="box office", scopes=frozenset({"events.write"})),
            organisations=ports.organisations,
            clients=ports.clients,
            hasher=ports.hasher,
            secrets=ports.secrets,
        )
    ).value
    return Seeded(org.id, created.client.client_id, created.secret)


@pytest.fixture
def container() -> Container:
    return in_memory_container(load_settings({"LML_TOKEN_ATTEMPTS_PER_USERNAME": "3"}))


@pytest.fixture
async def seeded(container: Container) -> Seeded:
    return await seed(container)


@pytest.fixture
def app(container: Container) -> Litestar:
    return create_app(container)


def password_form(seeded: Seeded, **overrides: str) -> dict[str, str]:
    return {
        "grant_type": "password",
        "username": seeded.username,
        "password": PASSWORD,
        "client_id": seeded.client_id,
        **overrides,
    }


async def test_given_valid_user_credentials_then_a_bearer_token_with_the_user_scopes(
    client: AsyncTestClient, seeded: Seeded
) -> None:
    response = await client.post(TOKEN, data=password_form(seeded))
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "identity.me.read venues.read"
    assert body["expires_in"] == 900
    assert response.headers["cache-control"] == "no-store"


async def test_given_an_issued_user_token_then_users_me_answers_with_the_user(
    client: AsyncTestClient, seeded: Seeded
) -> None:
    token = (await client.post(TOKEN, data=password_form(seeded))).json()["access_token"]
    response = await client.get("/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    me = response.json()
    assert me["username"] == "alice@example.com"
    assert me["org_id"] == seeded.org_id


async def test_given_a_narrower_scope_request_then_only_that_scope_is_granted(
    client: AsyncTestClient, seeded: Seeded
) -> None:
    response = await client.post(TOKEN, data=password_form(seeded, scope="venues.read"))
    assert response.json()["scope"] == "venues.read"


async def test_given_a_scope_beyond_the_user_then_invalid_scope(
    client: AsyncTestClient, seeded: Seeded
) -> None:
    response = await client.post(TOKEN, data=password_form(seeded, scope="orders.write"))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


async def test_given_a_wrong_password_or_unknown_user_then_the_same_invalid_grant(
    client: AsyncTestClient, seeded: Seeded
) -> None:
    wrong = await client.post(TOKEN, data=password_form(seeded, password="not the password!"))
    unknown = await client.post(TOKEN, data=password_form(seeded, username="mallory@example.com"))
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"] == "invalid_grant"


async def test_given_an_unknown_client_id_then_invalid_client_401(
    client: AsyncTestClient, seeded: Seeded
) -> None:
    response = await client.post(TOKEN, data=password_form(seeded, client_id="cli_nobody"))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["www-authenticate"] == 'Basic realm="lml"'


async def test_given_client_credentials_in_the_body_then_a_client_token(
    client: AsyncTestClient, seeded: Seeded
) -> None:
    form = {
        "grant_type": "client_credentials",
        "client_id": seeded.client_id,
        "client_secret": seeded.client_secret,
    }
    response = await client.post(TOKEN, data=form)
    assert response.status_code == 200
    assert response.json()["scope"] == "events.write"


async def test_given_client_credentials_by_http_basic_then_a_client_token(
    client: AsyncTestClient, seeded: Seeded
) -> None:
    basic = base64.b64encode(f"{seeded.client_id}:{seeded.client_secret}".encode()).decode()
    response = await client.post(
        TOKEN,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200


async def test_given_a_wrong_client_secret_then_invalid_client(
    client: AsyncTestClient, seeded: Seeded
) -> None:
    form = {
        "grant_type": "client_credentials",
        "client_id": seeded.client_id,
        "client_secret": "guess",
    }
    response = await client.post(TOKEN, data=form)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({}, "invalid_request"),
        ({"grant_type": "authorization_code"}, "unsupported_grant_type"),
        ({"grant_type": "password", "username": "a"}, "invalid_request"),
        (
            {
                "grant_type": "password",
                "username": "a",
                "password": "b",
                "client_id": "c",
                "scope": "bad\\scope",
            },
            "invalid_scope",
        ),
    ],
)
async def test_given_a_malformed_token_request_then_the_rfc_6749_error(
    client: AsyncTestClient, form: dict[str, str], error: str
) -> None:
    response = await client.post(TOKEN, data=form)
    assert response.status_code == 400
    assert response.json()["error"] == error


async def test_given_json_instead_of_a_form_then_invalid_request(
    client: AsyncTestClient,
) -> None:
    response = await client.post(TOKEN, json={"grant_type": "password"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


async def test_given_repeated_attempts_on_one_username_then_429_with_retry_after(
    client: AsyncTestClient, seeded: Seeded
) -> None:
    bad = password_form(seeded, password="wrong password!!")
    answers = [(await client.post(TOKEN, data=bad)).status_code for _ in range(3)]
    assert answers == [400, 400, 400]
    throttled = await client.post(TOKEN, data=password_form(seeded))
    assert throttled.status_code == 429
    assert throttled.json()["type"] == "/problems/rate-limited"
    assert int(throttled.headers["retry-after"]) >= 1


async def test_given_an_unknown_username_then_it_is_throttled_exactly_like_a_real_one(
    client: AsyncTestClient, seeded: Seeded
) -> None:
    ghost = password_form(seeded, username="ghost@example.com")
    answers = [(await client.post(TOKEN, data=ghost)).status_code for _ in range(4)]
    assert answers == [400, 400, 400, 429]


async def test_given_one_org_exhausting_a_username_then_its_namesake_in_another_org_signs_in(
    client: AsyncTestClient, container: Container, seeded: Seeded
) -> None:
    """Usernames are unique per organisation, so their attempt budgets are too."""
    namesake = await seed(container, org_name="Other Tickets")
    bad = password_form(seeded, password="wrong password!!")
    answers = [(await client.post(TOKEN, data=bad)).status_code for _ in range(4)]

    elsewhere = await client.post(TOKEN, data=password_form(namesake))

    assert answers == [400, 400, 400, 429]
    assert elsewhere.status_code == 200


async def test_given_an_unknown_client_then_no_username_budget_is_spent(
    client: AsyncTestClient, seeded: Seeded
) -> None:
    stranger = {**password_form(seeded, password="wrong password!!"), "client_id": "cli_nobody"}
    answers = [(await client.post(TOKEN, data=stranger)).status_code for _ in range(4)]

    signed_in = await client.post(TOKEN, data=password_form(seeded))

    assert answers == [401] * 4
    assert signed_in.status_code == 200


async def test_given_a_client_token_then_users_me_is_not_found(
    client: AsyncTestClient, seeded: Seeded
) -> None:
    token = (
        build_tokens(load_settings({}))
        .issuer.issue(seeded.client_id, seeded.org_id, {"identity.me.read"})
        .access_token
    )
    response = await client.get("/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
