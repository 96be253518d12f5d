"""PostgreSQL pool factory, driver-fault translation and the migration runner."""

from lml_postgres.faults import is_unavailable, postgres_faults
from lml_postgres.migration_files import (
    InvalidMigrationFile,
    Migration,
    MigrationError,
    default_migrations_dir,
)
from lml_postgres.migration_runner import (
    MIGRATION_LOCK_KEY,
    MigrationChecksumMismatch,
    MigrationFailed,
    MigrationRefused,
    migrate_up,
    migration_status,
)
from lml_postgres.migration_states import MigrationState, MigrationStatus
from lml_postgres.pool import AppPool, app_conninfo, create_pool, owner_conninfo, session_options
from lml_postgres.pool_rows import fetch_rows

__all__ = [
    "MIGRATION_LOCK_KEY",
    "AppPool",
    "InvalidMigrationFile",
    "Migration",
    "MigrationChecksumMismatch",
    "MigrationError",
    "MigrationFailed",
    "MigrationRefused",
    "MigrationState",
    "MigrationStatus",
    "app_conninfo",
    "create_pool",
    "default_migrations_dir",
    "fetch_rows",
    "is_unavailable",
    "migrate_up",
    "migration_status",
    "owner_conninfo",
    "postgres_faults",
    "session_options",
]
