from datetime import UTC, datetime

from lml_postgres import MigrationState, MigrationStatus
from lml_postgres.migration_files import Migration, checksum
from lml_postgres.migration_states import AppliedRecord, FailureRecord, compare

AT = datetime(2026, 1, 1, tzinfo=UTC)


def migration(version: int, sql: str = "select 1;") -> Migration:
    return Migration(version, f"m{version}", f"{version:04d}_m{version}.sql", sql, checksum(sql))


def applied(version: int, sql: str = "select 1;") -> AppliedRecord:
    return AppliedRecord(version, f"m{version}", checksum(sql), AT)


def test_given_nothing_recorded_when_compared_then_every_file_is_pending() -> None:
    states = compare([migration(1), migration(2)], {}, {})

    assert [s.status for s in states] == [MigrationStatus.PENDING, MigrationStatus.PENDING]
    assert all(s.is_pending for s in states)


def test_given_a_recorded_file_with_the_same_checksum_when_compared_then_it_is_applied() -> None:
    [state] = compare([migration(1)], {1: applied(1)}, {})

    assert state == MigrationState(1, "m1", MigrationStatus.APPLIED, applied_at=AT)
    assert not state.is_pending


def test_given_a_recorded_file_edited_since_when_compared_then_it_is_changed() -> None:
    [state] = compare([migration(1, "select 2;")], {1: applied(1, "select 1;")}, {})

    assert state.status is MigrationStatus.CHANGED
    assert not state.is_pending


def test_given_a_failure_record_when_compared_then_the_file_is_failed_and_still_pending() -> None:
    failure = FailureRecord(1, "migration 0001_m1.sql failed: boom", AT)

    [state] = compare([migration(1)], {}, {1: failure})

    assert state.status is MigrationStatus.FAILED
    assert state.is_pending
    assert state.error == "migration 0001_m1.sql failed: boom"
    assert state.failed_at == AT


def test_given_an_applied_version_without_a_file_when_compared_then_it_is_missing() -> None:
    states = compare([migration(2)], {1: applied(1)}, {})

    assert [(s.version, s.status) for s in states] == [
        (1, MigrationStatus.MISSING),
        (2, MigrationStatus.PENDING),
    ]
