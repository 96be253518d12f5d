import sys

import pytest
from click.testing import CliRunner

from lml_cli.main import cli
from lml_config import listens_beyond_loopback, load_settings, published_secrets

EVERY_INTERFACE = "0.0.0.0"  # noqa: S104 - what is refused, never bound


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for name in ("LML_DATABASE_URL", "LML_REDIS_URL", "LML_MONGO_URL", "LML_ENV"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


@pytest.mark.parametrize("command", [["api"], ["worker"], ["migrate", "status"], ["dev"]])
def test_given_an_invalid_variable_when_any_command_runs_then_it_names_it_and_exits_2(
    runner: CliRunner, command: list[str]
) -> None:
    result = runner.invoke(cli, command, env={"LML_PORT": "eighty"})

    assert result.exit_code == 2
    assert "LML_PORT='eighty'" in result.output
    assert "Traceback" not in result.output


def test_given_an_unknown_variable_when_a_command_runs_then_it_warns_about_it(
    runner: CliRunner,
) -> None:
    result = runner.invoke(cli, ["migrate", "status"], env={"LML_PROT": "9000"})

    assert "warning: LML_PROT is not a setting" in result.output


def test_given_no_database_url_when_migrating_then_it_says_which_variable_is_missing(
    runner: CliRunner,
) -> None:
    result = runner.invoke(cli, ["migrate", "up"])

    assert result.exit_code == 2
    assert "LML_DATABASE_URL is not set" in result.output


def test_given_no_server_urls_when_the_worker_starts_then_it_exits_2_naming_them(
    runner: CliRunner,
) -> None:
    result = runner.invoke(cli, ["worker"])

    assert result.exit_code == 2
    assert "LML_DATABASE_URL, LML_REDIS_URL, LML_MONGO_URL not set" in result.output


def test_given_no_development_dependencies_when_lml_dev_runs_then_it_says_to_sync_them(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As in a production image, where the optional `dev` extra is not installed.
    monkeypatch.setitem(sys.modules, "lml_devstack", None)
    monkeypatch.delitem(sys.modules, "lml_cli.dev_stack", raising=False)

    result = runner.invoke(cli, ["dev"])

    assert result.exit_code == 1
    assert "run `uv sync`" in result.output


@pytest.mark.parametrize("command", [["api"], ["worker"], ["dev"]])
@pytest.mark.parametrize("env", ["development", "test"])
@pytest.mark.parametrize(
    ("published", "variables"),
    [
        ("LML_JWT_KEYS", {"LML_DATABASE_APP_PASSWORD": "a-real-secret-of-some-length"}),
        (
            "LML_DATABASE_APP_PASSWORD",
            {
                "LML_JWT_KEYS": "prod:c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA",
                "LML_JWT_SIGNING_KID": "prod",
            },
        ),
    ],
    ids=["jwt key", "database password"],
)
def test_given_a_public_address_and_a_published_secret_when_serving_then_one_line_and_exit_2(
    runner: CliRunner, command: list[str], env: str, published: str, variables: dict[str, str]
) -> None:
    """Anyone can mint tokens with the development key: a process others can reach
    refuses the published defaults in every LML_ENV (production refuses them anyway),
    before it connects to anything."""
    result = runner.invoke(
        cli, command, env={"LML_HOST": EVERY_INTERFACE, "LML_ENV": env, **variables}
    )

    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert published in lines[0]


def test_given_a_loopback_address_and_the_development_defaults_then_nothing_is_refused() -> None:
    for host in ("127.0.0.1", "::1", "localhost"):
        settings = load_settings({"LML_HOST": host})
        assert not listens_beyond_loopback(settings)
        assert published_secrets(settings) == ["LML_JWT_KEYS", "LML_DATABASE_APP_PASSWORD"]
    assert listens_beyond_loopback(load_settings({"LML_HOST": EVERY_INTERFACE}))
    assert listens_beyond_loopback(load_settings({"LML_HOST": "api.internal"}))
