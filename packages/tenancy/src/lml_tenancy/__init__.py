"""Tenant-scoped PostgreSQL transactions: one per call (with_tenant), or one unit of work
that adapters of several contexts share (tenant_unit_of_work, in_tenant); and the
statements adapters run most in that scope (fetch_one, fetch_all, insert_new), a single
statement in one round trip (tenant_statement)."""

from lml_tenancy.tenant_statements import fetch_all, fetch_one, insert_new
from lml_tenancy.unit_of_work import TenantScope, TenantUnitOfWork, in_tenant, tenant_unit_of_work
from lml_tenancy.with_tenant import StatementResult, tenant_statement, with_tenant

__all__ = [
    "StatementResult",
    "TenantScope",
    "TenantUnitOfWork",
    "fetch_all",
    "fetch_one",
    "in_tenant",
    "insert_new",
    "tenant_statement",
    "tenant_unit_of_work",
    "with_tenant",
]
