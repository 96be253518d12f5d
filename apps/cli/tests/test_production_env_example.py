"""The production examples in ops/ stay in step with the settings, and hand each container
the least credentials it needs: api and worker the application role alone, the migrate
job the schema's owner (not a superuser), the servers their superuser and root users."""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml

from lml_config import Settings, load_settings, unknown_variables

OPS = Path(__file__).resolve().parents[3] / "ops"


def example_variables(name: str = "production") -> dict[str, str]:
    lines = (OPS / "env" / f"{name}.env.example").read_text().splitlines()
    assignments = (line.partition("=") for line in lines if line and not line.startswith("#"))
    return {name: value for name, _, value in assignments}


def compose_env_files() -> dict[str, list[str]]:
    services = yaml.safe_load((OPS / "compose.yaml").read_text())["services"]
    files = {name: service.get("env_file", []) for name, service in services.items()}
    return {name: [value] if isinstance(value, str) else value for name, value in files.items()}


def test_the_production_example_lists_every_setting() -> None:
    listed = set(example_variables())

    missing = {f"LML_{field.upper()}" for field in Settings.__struct_fields__} - listed
    assert missing == set()


def test_the_production_example_lists_no_variable_lml_does_not_read() -> None:
    assert unknown_variables(example_variables()) == []


def test_the_production_example_passes_the_production_checks() -> None:
    settings = load_settings(example_variables())

    assert settings.is_production


def test_the_api_and_worker_example_holds_no_owner_or_root_credentials() -> None:
    variables = example_variables()
    database = urlsplit(variables["LML_DATABASE_URL"])
    mongo = urlsplit(variables["LML_MONGO_URL"])

    assert (database.username, database.password) == ("lml_app", None)
    assert mongo.username == "lml_app"
    assert parse_qs(mongo.query)["authSource"] == ["lml"]
    assert not {name for name in variables if name.startswith(("POSTGRES_", "MONGO_INITDB_"))}


def test_the_migrate_example_names_the_owner_and_passes_the_production_checks() -> None:
    migrate = example_variables("migrate")
    settings = load_settings(example_variables() | migrate)

    assert set(migrate) == {"LML_DATABASE_URL"}
    assert urlsplit(settings.database_url or "").username == "lml_owner"
    assert settings.is_production


def test_the_servers_example_is_read_by_no_lml_process() -> None:
    assert not [name for name in example_variables("servers") if name.startswith("LML_")]


def test_compose_hands_each_container_only_its_own_credentials() -> None:
    files = compose_env_files()

    assert files["api"] == files["worker"] == ["env/production.env"]
    assert files["migrate"] == ["env/production.env", "env/migrate.env"]
    for server in ("postgres", "redis", "mongo"):
        assert files[server] == ["env/servers.env"]


def test_the_owner_the_servers_create_is_no_superuser() -> None:
    script = (OPS / "postgres" / "10-app-role.sh").read_text()

    assert "create role lml_owner login nosuperuser nobypassrls" in script
    assert 'alter database :"database" owner to lml_owner' in script
