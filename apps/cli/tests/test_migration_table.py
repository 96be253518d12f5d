from datetime import UTC, datetime

from lml_cli.migration_table import render_migration_table
from lml_postgres import MigrationState, MigrationStatus


def test_given_applied_and_pending_migrations_then_each_is_one_aligned_row() -> None:
    states = [
        MigrationState(
            1, "core", MigrationStatus.APPLIED, applied_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        ),
        MigrationState(2, "identity_tables", MigrationStatus.PENDING),
    ]

    assert render_migration_table(states).splitlines() == [
        "VERSION  NAME             STATE    APPLIED_AT",
        "0001     core             applied  2026-01-02T03:04:05Z",
        "0002     identity_tables  pending  -",
    ]


def test_given_a_failed_migration_then_its_error_follows_the_table() -> None:
    failed_at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    states = [
        MigrationState(
            3, "broken", MigrationStatus.FAILED, failed_at=failed_at, error="syntax error"
        )
    ]

    assert render_migration_table(states).splitlines()[-1] == (
        "0003 failed at 2026-01-02T03:04:05Z: syntax error"
    )
