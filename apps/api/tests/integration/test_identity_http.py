"""Both grants over HTTP against real PostgreSQL and Redis, and tenant isolation of users."""

import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from lml_api.app import create_app
from lml_api.container import Container
from lml_config import Settings
from lml_identity.application import (
    CreateApiClient,
    CreateOrganisation,
    CreateUser,
    create_api_client,
    create_organisation,
    create_user,
)

pytestmark = pytest.mark.integration

TOKEN = "/v1/oauth/token"
PASSWORD = "a long and careful passphrase"


@pytest.fixture
async def client(
    make_settings: Callable[..., Settings], mongo_url: str, redis_key_prefix: str
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    settings = make_settings(
        mongo_url=mongo_url,
        redis_key_prefix=redis_key_prefix,
        stripe_secret_key="sk_test_example",
        token_attempts_per_username=3,
    )
    async with AsyncTestClient(create_app(settings=settings)) as test_client:
        yield test_client


async def organisation_with_user(container: Container, username: str) -> tuple[str, str, str]:
    """A new organisation with one user and one client: (org id, user id, client id)."""
    ports = container.identity
    org = (
        await create_organisation(
            CreateOrganisation(name=f"Org {uuid.uuid4().hex[:6]}"),
            organisations=ports.organisations,
            secrets=ports.secrets,
        )
    ).value
    user = (
        await create_user(
            CreateUser(
                org_id=org.id,
                username=username,
                password=PASSWORD,
                scopes=frozenset({"identity.me.read"}),
            ),
            organisations=ports.organisations,
            users=ports.users,
            hasher=ports.hasher,
            secrets=ports.secrets,
        )
    ).value
    created = (
        await create_api_client(
            CreateApiClient(org_id=org.id, name="app", scopes=frozenset({"venues.read"})),
            organisations=ports.organisations,
            clients=ports.clients,
            hasher=ports.hasher,
            secrets=ports.secrets,
        )
    ).value
    return org.id, user.id, created.client.client_id


def container_of(client: AsyncTestClient[Litestar]) -> Container:
    container: Container = client.app.state.container
    return container


async def test_given_a_real_user_when_using_the_password_grant_then_users_me_finds_them(
    client: AsyncTestClient[Litestar],
) -> None:
    org_id, user_id, client_id = await organisation_with_user(container_of(client), "bob")
    form = {
        "grant_type": "password",
        "username": "Bob",
        "password": PASSWORD,
        "client_id": client_id,
    }
    token = await client.post(TOKEN, data=form)
    assert token.status_code == 200, token.text
    me = await client.get(
        "/v1/users/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json() == {
        "id": user_id,
        "org_id": org_id,
        "username": "bob",
        "scopes": ["identity.me.read"],
    }


async def test_given_a_real_client_when_using_client_credentials_then_a_token_is_issued(
    client: AsyncTestClient[Litestar],
) -> None:
    ports = container_of(client).identity
    org_id, _, _ = await organisation_with_user(container_of(client), "carol")
    created = (
        await create_api_client(
            CreateApiClient(org_id=org_id, name="box office", scopes=frozenset({"events.write"})),
            organisations=ports.organisations,
            clients=ports.clients,
            hasher=ports.hasher,
            secrets=ports.secrets,
        )
    ).value
    form = {
        "grant_type": "client_credentials",
        "client_id": created.client.client_id,
        "client_secret": created.secret,
    }
    response = await client.post(TOKEN, data=form)
    assert response.status_code == 200
    assert response.json()["scope"] == "events.write"


async def test_given_a_token_of_organisation_a_then_it_never_reads_a_user_of_b(
    client: AsyncTestClient[Litestar],
) -> None:
    container = container_of(client)
    org_a, _, _ = await organisation_with_user(container, "dave")
    _, user_b, _ = await organisation_with_user(container, "erin")
    forged_subject = container.tokens.issuer.issue(user_b, org_a, {"identity.me.read"})
    response = await client.get(
        "/v1/users/me", headers={"Authorization": f"Bearer {forged_subject.access_token}"}
    )
    assert response.status_code == 404


async def test_given_repeated_wrong_passwords_then_redis_throttles_the_username(
    client: AsyncTestClient[Litestar],
) -> None:
    _, _, client_id = await organisation_with_user(container_of(client), "frank")
    form = {
        "grant_type": "password",
        "username": "frank",
        "password": "wrong password!",
        "client_id": client_id,
    }
    answers = [(await client.post(TOKEN, data=form)).status_code for _ in range(4)]
    assert answers == [400, 400, 400, 429]
