"""Organisations in PostgreSQL: the rows of ``lml.tenants``."""

from __future__ import annotations

from psycopg.errors import UniqueViolation

from lml_identity.domain import Organisation, OrganisationExists
from lml_result import Err, Ok, Result
from lml_tenancy import TenantScope, in_tenant


class PostgresOrganisations:
    """Each organisation is read and written inside its own tenant scope, like any tenant row."""

    def __init__(self, scope: TenantScope) -> None:
        self._scope = scope

    async def add(self, organisation: Organisation) -> Result[None, OrganisationExists]:
        try:
            async with in_tenant(self._scope, organisation.id) as conn:
                await conn.execute(
                    "insert into lml.tenants (tenant_id, name) values (%s, %s)",
                    (organisation.id, organisation.name),
                )
        except UniqueViolation:
            return Err(OrganisationExists(org_id=organisation.id))
        return Ok(None)

    async def get(self, org_id: str) -> Organisation | None:
        async with in_tenant(self._scope, org_id) as conn:
            cursor = await conn.execute(
                "select tenant_id, name from lml.tenants where tenant_id = %s", (org_id,)
            )
            row = await cursor.fetchone()
        return None if row is None else Organisation(id=row[0], name=row[1])
