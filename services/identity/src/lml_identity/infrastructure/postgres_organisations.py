"""Organisations in PostgreSQL: the rows of ``lml.tenants``."""

from __future__ import annotations

import msgspec

from lml_identity.domain import Organisation, OrganisationExists
from lml_result import Err, Ok, Result
from lml_tenancy import TenantScope, fetch_one, insert_new


class PostgresOrganisations:
    """Each organisation is read and written inside its own tenant scope, like any tenant row."""

    def __init__(self, scope: TenantScope) -> None:
        self._scope = scope

    async def add(self, organisation: Organisation) -> Result[None, OrganisationExists]:
        added = await insert_new(
            self._scope,
            organisation.id,
            "insert into lml.tenants (tenant_id, name) values (%s, %s)",
            (organisation.id, organisation.name),
        )
        return Ok(None) if added else Err(OrganisationExists(org_id=organisation.id))

    async def get(self, org_id: str) -> Organisation | None:
        row = await fetch_one(
            self._scope,
            org_id,
            "select tenant_id as id, name from lml.tenants where tenant_id = %s",
            (org_id,),
        )
        return None if row is None else msgspec.convert(row, Organisation)
