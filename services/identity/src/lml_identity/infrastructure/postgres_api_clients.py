"""API clients in PostgreSQL (``lml.api_clients``)."""

from __future__ import annotations

import msgspec

from lml_identity.application.ports import ClientCredentials
from lml_identity.domain import ApiClient
from lml_postgres import AppPool, postgres_faults
from lml_tenancy import fetch_one, with_tenant


class PostgresApiClients:
    def __init__(self, pool: AppPool) -> None:
        self._pool = pool

    async def add(self, client: ApiClient, secret_hash: str) -> None:
        async with with_tenant(self._pool, client.org_id) as conn:
            await conn.execute(
                "insert into lml.api_clients (tenant_id, client_id, name, secret_hash, scopes)"
                " values (%s, %s, %s, %s, %s::text[])",
                (client.org_id, client.client_id, client.name, secret_hash, sorted(client.scopes)),
            )

    async def find(self, client_id: str) -> ClientCredentials | None:
        org_id = await self.tenant_of(client_id)
        if org_id is None:
            return None
        row = await fetch_one(
            self._pool,
            org_id,
            "select client_id, tenant_id as org_id, name, scopes, secret_hash"
            " from lml.api_clients where client_id = %s",
            (client_id,),
        )
        if row is None:
            return None
        return ClientCredentials(
            client=msgspec.convert(row, ApiClient), secret_hash=row["secret_hash"]
        )

    async def tenant_of(self, client_id: str) -> str | None:
        # No tenant is known yet, so this goes through the one SECURITY DEFINER lookup
        # that migration 0002 allows instead of with_tenant.
        with postgres_faults():
            async with self._pool.connection() as conn:
                cursor = await conn.execute("select lml.tenant_of_client(%s)", (client_id,))
                row = await cursor.fetchone()
        return None if row is None else row[0]
