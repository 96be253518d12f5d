import uuid

import pytest
from click.testing import CliRunner

from lml_cli.main import cli
from lml_testing.databases import TemporaryDatabase

pytestmark = pytest.mark.integration


def invoke(database: TemporaryDatabase, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, list(args), env={"LML_DATABASE_URL": database.admin_url, "LML_ENV": "test"}
    )
    return result.exit_code, result.output


def test_given_a_new_org_when_a_user_and_a_client_are_created_then_each_prints_its_id(
    migrated_database: TemporaryDatabase,
) -> None:
    code, org_id = invoke(migrated_database, "org", "create", "--name", "Acme Tickets")
    assert code == 0, org_id
    org_id = org_id.strip()
    assert org_id.startswith("org_")

    code, user_id = invoke(
        migrated_database,
        "user",
        "create",
        "--org",
        org_id,
        "--username",
        "ops@acme.test",
        "--password",
        "a sufficiently long password",
        "--scopes",
        "venues.read,events.write",
    )
    assert code == 0, user_id
    assert user_id.strip().startswith("usr_")

    code, output = invoke(
        migrated_database, "client", "create", "--org", org_id, "--name", "box office"
    )
    assert code == 0, output
    lines = dict(
        line.split(maxsplit=1) for line in output.splitlines() if line.startswith("client")
    )
    assert lines["client_id"].startswith("cli_")
    assert len(lines["client_secret"]) >= 32


def test_given_an_unknown_org_when_creating_a_user_then_it_is_refused_with_exit_1(
    migrated_database: TemporaryDatabase,
) -> None:
    code, output = invoke(
        migrated_database,
        "user",
        "create",
        "--org",
        f"org_{uuid.uuid4().hex}",
        "--username",
        "x@y.test",
        "--password",
        "a sufficiently long password",
    )
    assert code == 1
    assert "UnknownOrganisation" in output


def test_given_an_unknown_scope_when_creating_a_client_then_it_is_refused(
    migrated_database: TemporaryDatabase,
) -> None:
    _, org_id = invoke(migrated_database, "org", "create", "--name", "Scoped")
    code, output = invoke(
        migrated_database,
        "client",
        "create",
        "--org",
        org_id.strip(),
        "--name",
        "x",
        "--scopes",
        "admin.everything",
    )
    assert code == 1
    assert "UnknownScopes" in output
