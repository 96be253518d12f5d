from pathlib import Path

import pytest

from lml_cli.demo_seed import CREDENTIALS_FILE, DEMO_ORG_ID, seed_demo
from lml_identity.application import (
    ClientCredentialsGrant,
    PasswordGrant,
    authenticate_client,
    authenticate_password,
)
from lml_identity.fakes import CountingSignInAttempts
from lml_identity.infrastructure.adapters import postgres_identity
from lml_postgres import AppPool
from lml_result import Ok
from lml_tenancy import with_tenant

pytestmark = pytest.mark.integration


async def test_given_an_empty_database_when_seeded_then_the_demo_user_and_client_can_sign_in(
    app_pool: AppPool, tmp_path: Path
) -> None:
    ports = postgres_identity(app_pool)
    credentials = await seed_demo(ports, tmp_path)

    user = await authenticate_password(
        PasswordGrant(
            client_id=credentials.client_id,
            username=credentials.username,
            password=credentials.password,
        ),
        clients=ports.clients,
        users=ports.users,
        hasher=ports.hasher,
        attempts=CountingSignInAttempts(),
    )
    client = await authenticate_client(
        ClientCredentialsGrant(
            client_id=credentials.client_id, client_secret=credentials.client_secret
        ),
        clients=ports.clients,
        hasher=ports.hasher,
    )
    assert isinstance(user, Ok)
    assert user.value.org_id == DEMO_ORG_ID
    assert isinstance(client, Ok)


async def test_when_seeded_twice_then_nothing_is_duplicated_and_the_credentials_are_kept(
    app_pool: AppPool, tmp_path: Path
) -> None:
    ports = postgres_identity(app_pool)
    first = await seed_demo(ports, tmp_path)
    second = await seed_demo(ports, tmp_path)

    assert second == first
    async with with_tenant(app_pool, DEMO_ORG_ID) as connection:
        tenants = await (await connection.execute("select count(*) from lml.tenants")).fetchone()
    assert tenants == (1,)


async def test_given_the_credentials_file_is_lost_then_a_new_working_client_is_made(
    app_pool: AppPool, tmp_path: Path
) -> None:
    ports = postgres_identity(app_pool)
    first = await seed_demo(ports, tmp_path)
    (tmp_path / CREDENTIALS_FILE).unlink()

    second = await seed_demo(ports, tmp_path)

    assert second.client_id != first.client_id
    assert await ports.clients.tenant_of(second.client_id) == DEMO_ORG_ID
