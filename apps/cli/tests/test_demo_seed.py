import pytest

from lml_cli.demo_seed import DEMO_ORG_ID, DEMO_ORG_NAME, seed_demo_organisation
from lml_postgres import AppPool
from lml_tenancy import with_tenant

pytestmark = pytest.mark.integration


async def test_when_seeded_twice_then_there_is_one_demo_organisation(app_pool: AppPool) -> None:
    await seed_demo_organisation(app_pool)
    await seed_demo_organisation(app_pool)

    async with with_tenant(app_pool, DEMO_ORG_ID) as connection:
        cursor = await connection.execute("select tenant_id, name from lml.tenants")
        assert await cursor.fetchall() == [(DEMO_ORG_ID, DEMO_ORG_NAME)]
