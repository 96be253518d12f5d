"""The demo organisation ``lml dev`` creates, idempotently."""

from __future__ import annotations

from lml_postgres import AppPool
from lml_tenancy import with_tenant

DEMO_ORG_ID = "org_demo"
DEMO_ORG_NAME = "Demo Organisation"


async def seed_demo_organisation(pool: AppPool) -> None:
    """Create the demo organisation unless it exists; running it again changes nothing."""
    # Inside the tenant's own transaction, so the tenants table's RLS policy accepts it.
    async with with_tenant(pool, DEMO_ORG_ID) as connection:
        await connection.execute(
            "insert into lml.tenants (tenant_id, name) values (%s, %s)"
            " on conflict (tenant_id) do nothing",
            (DEMO_ORG_ID, DEMO_ORG_NAME),
        )
