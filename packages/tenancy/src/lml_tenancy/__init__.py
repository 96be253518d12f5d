"""with_tenant: tenant-scoped PostgreSQL transactions."""

from lml_tenancy.with_tenant import with_tenant

__all__ = ["with_tenant"]
