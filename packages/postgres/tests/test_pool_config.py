import pytest
from psycopg.conninfo import conninfo_to_dict

from lml_config import Settings
from lml_postgres import app_conninfo, create_pool, session_options
from lml_postgres.pool import with_session_options

SETTINGS = Settings(
    database_url="postgresql://owner:owner-secret@db.example:6543/lml?sslmode=require",
    database_app_password="app-secret",
    db_pool_min_size=2,
    db_pool_max_size=7,
    db_statement_timeout_ms=1234,
    db_lock_timeout_ms=567,
    db_idle_in_transaction_timeout_ms=8910,
    dependency_timeout_seconds=1.5,
)


def test_given_an_owner_url_when_deriving_the_app_conninfo_then_only_the_credentials_change() -> (
    None
):
    params = conninfo_to_dict(app_conninfo(SETTINGS))

    assert params == {
        "user": "lml_app",
        "password": "app-secret",
        "host": "db.example",
        "port": "6543",
        "dbname": "lml",
        "sslmode": "require",
    }


def test_given_a_socket_directory_host_when_deriving_the_app_conninfo_then_it_is_kept() -> None:
    settings = Settings(database_url="host=/var/run/postgresql port=5433 dbname=lml user=postgres")

    params = conninfo_to_dict(app_conninfo(settings))

    assert params["host"] == "/var/run/postgresql"
    assert params["port"] == "5433"
    assert params["user"] == "lml_app"


def test_given_timeouts_when_building_session_options_then_each_is_a_startup_setting() -> None:
    assert session_options(SETTINGS) == (
        "-c statement_timeout=1234 -c lock_timeout=567 -c idle_in_transaction_session_timeout=8910"
    )


def test_given_a_conninfo_with_options_when_adding_timeouts_then_its_options_are_kept() -> None:
    conninfo = "dbname=lml options='-c search_path=lml'"

    options = conninfo_to_dict(with_session_options(conninfo, SETTINGS))["options"]

    assert options == f"-c search_path=lml {session_options(SETTINGS)}"


def test_given_settings_when_creating_the_pool_then_it_is_closed_and_sized_from_them() -> None:
    pool = create_pool(SETTINGS)

    assert pool.closed
    assert (pool.min_size, pool.max_size, pool.timeout) == (2, 7, 1.5)
    assert pool.kwargs == {"autocommit": True}
    assert isinstance(pool.conninfo, str)
    assert conninfo_to_dict(pool.conninfo)["user"] == "lml_app"


def test_given_no_database_url_when_deriving_the_app_conninfo_then_the_variable_is_named() -> None:
    with pytest.raises(ValueError, match="LML_DATABASE_URL"):
        app_conninfo(Settings())
