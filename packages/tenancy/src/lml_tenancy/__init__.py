"""Tenant-scoped PostgreSQL transactions: one per call (with_tenant), or one unit of work
that adapters of several contexts share (tenant_unit_of_work, in_tenant)."""

from lml_tenancy.unit_of_work import TenantScope, TenantUnitOfWork, in_tenant, tenant_unit_of_work
from lml_tenancy.with_tenant import with_tenant

__all__ = ["TenantScope", "TenantUnitOfWork", "in_tenant", "tenant_unit_of_work", "with_tenant"]
