import pytest
from click.testing import CliRunner

from lml_cli import main
from lml_cli.main import cli
from lml_testing.databases import TemporaryDatabase
from lml_testing.settings import settings_for_tests

pytestmark = pytest.mark.integration


def invoke(*args: str, database: TemporaryDatabase, **env: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, list(args), env={"LML_DATABASE_URL": database.admin_url, "LML_ENV": "test", **env}
    )
    return result.exit_code, result.output


def test_given_an_empty_database_when_migrating_up_then_every_file_is_applied(
    empty_database: TemporaryDatabase,
) -> None:
    exit_code, output = invoke("migrate", "up", database=empty_database)

    assert exit_code == 0
    assert "applied 0001_core.sql" in output


def test_given_a_migrated_database_when_migrating_up_then_it_says_it_is_up_to_date(
    migrated_database: TemporaryDatabase,
) -> None:
    exit_code, output = invoke("migrate", "up", database=migrated_database)

    assert exit_code == 0
    assert "The database is up to date." in output


def test_given_a_migrated_database_when_asking_status_then_each_migration_shows_applied(
    migrated_database: TemporaryDatabase,
) -> None:
    exit_code, output = invoke("migrate", "status", database=migrated_database)

    assert exit_code == 0
    header, first, *_ = output.splitlines()
    assert header.split() == ["VERSION", "NAME", "STATE", "APPLIED_AT"]
    assert first.split()[:3] == ["0001", "core", "applied"]


def test_given_an_empty_database_when_asking_status_then_every_migration_is_pending(
    empty_database: TemporaryDatabase,
) -> None:
    exit_code, output = invoke("migrate", "status", database=empty_database)

    assert exit_code == 0
    assert all(line.split()[2] == "pending" for line in output.splitlines()[1:])


def test_given_production_when_migrating_without_confirmation_then_it_refuses(
    empty_database: TemporaryDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Valid production settings need many secrets; the refusal needs only LML_ENV.
    production = settings_for_tests(env="production", database_url=empty_database.admin_url)
    monkeypatch.setattr(main, "settings_for_command", lambda: production)

    refused = CliRunner().invoke(cli, ["migrate", "up"])

    assert refused.exit_code == 1
    assert "--yes-production" in refused.output
    status = CliRunner().invoke(cli, ["migrate", "status"])
    assert "applied" not in status.output
