"""What the database has recorded, set against the files: one state per migration."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from lml_postgres.migration_files import Migration


class MigrationStatus(StrEnum):
    APPLIED = "applied"
    PENDING = "pending"
    FAILED = "failed"  # pending, and its last attempt failed
    CHANGED = "changed"  # applied, but the file's checksum differs from what was applied
    MISSING = "missing"  # applied, but no file has its version any more


@dataclass(frozen=True, slots=True)
class AppliedRecord:
    version: int
    name: str
    checksum: str
    applied_at: datetime


@dataclass(frozen=True, slots=True)
class FailureRecord:
    version: int
    error: str
    failed_at: datetime


@dataclass(frozen=True, slots=True)
class MigrationState:
    version: int
    name: str
    status: MigrationStatus
    applied_at: datetime | None = None
    failed_at: datetime | None = None
    error: str | None = None

    @property
    def is_pending(self) -> bool:
        return self.status in (MigrationStatus.PENDING, MigrationStatus.FAILED)


def compare(
    files: Iterable[Migration],
    applied: Mapping[int, AppliedRecord],
    failures: Mapping[int, FailureRecord],
) -> list[MigrationState]:
    """Each file's state, plus applied versions that have no file, in version order."""
    states: list[MigrationState] = []
    seen: set[int] = set()
    for migration in files:
        seen.add(migration.version)
        record = applied.get(migration.version)
        if record is not None:
            status = (
                MigrationStatus.APPLIED
                if record.checksum == migration.checksum
                else MigrationStatus.CHANGED
            )
            states.append(
                MigrationState(migration.version, migration.name, status, record.applied_at)
            )
            continue
        failure = failures.get(migration.version)
        states.append(
            MigrationState(migration.version, migration.name, MigrationStatus.PENDING)
            if failure is None
            else MigrationState(
                migration.version,
                migration.name,
                MigrationStatus.FAILED,
                failed_at=failure.failed_at,
                error=failure.error,
            )
        )
    for version, record in applied.items():
        if version not in seen:
            states.append(
                MigrationState(version, record.name, MigrationStatus.MISSING, record.applied_at)
            )
    return sorted(states, key=lambda state: state.version)
