"""``lml migrate status`` output: one row per migration, aligned columns."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from lml_postgres import MigrationState

HEADER = ("VERSION", "NAME", "STATE", "APPLIED_AT")


def render_migration_table(states: Sequence[MigrationState]) -> str:
    rows = [HEADER] + [
        (f"{state.version:04d}", state.name, state.status.value, _timestamp(state.applied_at))
        for state in states
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADER))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    failures = [
        f"{state.version:04d} failed at {_timestamp(state.failed_at)}: {state.error}"
        for state in states
        if state.error
    ]
    return "\n".join(lines + failures)


def _timestamp(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
