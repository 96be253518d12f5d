"""Migration files on disk: ``NNNN_name.sql``, read and checksummed."""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from lml_config import Settings

FILE_NAME = re.compile(r"^(?P<version>\d{4,})_(?P<name>[a-z0-9_]+)\.sql$")
REPO_ROOT_DEPTH = 4  # lml_postgres -> src -> postgres -> packages -> repository root


class MigrationError(Exception):
    """Base of every migration problem the runner reports."""


class InvalidMigrationFile(MigrationError):
    """A ``.sql`` file is misnamed, or two files share a version."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    filename: str
    sql: str
    checksum: str


def checksum(sql: str) -> str:
    """SHA-256 of the text with line endings normalised, so a CRLF checkout is no change."""
    return hashlib.sha256(sql.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def read_migration(path: Path) -> Migration:
    match = FILE_NAME.match(path.name)
    if match is None:
        raise InvalidMigrationFile(
            f"{path.name}: migration files are named NNNN_lower_snake_name.sql"
        )
    sql = path.read_text(encoding="utf-8")
    return Migration(
        version=int(match["version"]),
        name=match["name"],
        filename=path.name,
        sql=sql,
        checksum=checksum(sql),
    )


def discover(directory: Path) -> list[Migration]:
    """Every ``.sql`` file in ``directory``, in version order; other files are ignored."""
    if not directory.is_dir():
        raise InvalidMigrationFile(f"{directory} is not a directory of migrations")
    migrations = sorted(
        (read_migration(path) for path in directory.glob("*.sql")), key=lambda m: m.version
    )
    for previous, current in itertools.pairwise(migrations):
        if previous.version == current.version:
            raise InvalidMigrationFile(
                f"{previous.filename} and {current.filename} share version {current.version}"
            )
    return migrations


def default_migrations_dir(settings: Settings) -> Path:
    """``LML_MIGRATIONS_DIR`` if set, else the repository's ``migrations/`` directory."""
    if settings.migrations_dir:
        return Path(settings.migrations_dir)
    directory = Path(__file__).resolve().parents[REPO_ROOT_DEPTH] / "migrations"
    if not directory.is_dir():
        raise FileNotFoundError(
            f"{directory} does not exist; set LML_MIGRATIONS_DIR to the migrations directory"
        )
    return directory
