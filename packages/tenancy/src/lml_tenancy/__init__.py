"""with_tenant: tenant-scoped PostgreSQL transactions."""
