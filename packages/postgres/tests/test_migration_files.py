from pathlib import Path

import pytest

from lml_config import Settings
from lml_postgres import InvalidMigrationFile, default_migrations_dir
from lml_postgres.migration_files import checksum, discover


def write(directory: Path, name: str, sql: str = "select 1;") -> None:
    (directory / name).write_text(sql, encoding="utf-8")


def test_given_numbered_files_when_discovered_then_they_come_in_version_order(
    tmp_path: Path,
) -> None:
    write(tmp_path, "0010_later.sql")
    write(tmp_path, "0002_second.sql")
    write(tmp_path, "0001_first.sql")

    found = discover(tmp_path)

    assert [(m.version, m.name, m.filename) for m in found] == [
        (1, "first", "0001_first.sql"),
        (2, "second", "0002_second.sql"),
        (10, "later", "0010_later.sql"),
    ]


def test_given_files_that_are_not_sql_when_discovered_then_they_are_ignored(
    tmp_path: Path,
) -> None:
    write(tmp_path, "0001_first.sql")
    write(tmp_path, "README.md", "notes")

    assert [m.filename for m in discover(tmp_path)] == ["0001_first.sql"]


@pytest.mark.parametrize("name", ["1_short.sql", "0001-dash.sql", "0001_Upper.sql", "core.sql"])
def test_given_a_misnamed_sql_file_when_discovered_then_it_is_named_in_the_error(
    tmp_path: Path, name: str
) -> None:
    write(tmp_path, name)

    with pytest.raises(InvalidMigrationFile, match=name):
        discover(tmp_path)


def test_given_two_files_with_one_version_when_discovered_then_both_are_named(
    tmp_path: Path,
) -> None:
    write(tmp_path, "0001_a.sql")
    write(tmp_path, "0001_b.sql")

    with pytest.raises(InvalidMigrationFile, match=r"0001_a\.sql and 0001_b\.sql"):
        discover(tmp_path)


def test_given_a_missing_directory_when_discovered_then_it_is_an_invalid_migration_source(
    tmp_path: Path,
) -> None:
    with pytest.raises(InvalidMigrationFile, match="not a directory"):
        discover(tmp_path / "absent")


def test_given_only_line_endings_differ_when_checksummed_then_the_checksums_match() -> None:
    assert checksum("create table t ();\r\nselect 1;\r\n") == checksum(
        "create table t ();\nselect 1;\n"
    )


def test_given_different_text_when_checksummed_then_the_checksums_differ() -> None:
    assert checksum("select 1;") != checksum("select 2;")


def test_given_no_setting_when_locating_migrations_then_the_repository_directory_is_used() -> None:
    directory = default_migrations_dir(Settings())

    assert (directory / "0001_core.sql").is_file()


def test_given_a_migrations_dir_setting_when_locating_migrations_then_it_wins(
    tmp_path: Path,
) -> None:
    assert default_migrations_dir(Settings(migrations_dir=str(tmp_path))) == tmp_path
