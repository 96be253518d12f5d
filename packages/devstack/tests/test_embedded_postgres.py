from pathlib import Path

import psutil  # type: ignore[import-untyped]
import psycopg
import pytest

from lml_devstack import embedded_postgres

pytestmark = pytest.mark.integration


def test_given_an_empty_directory_when_started_then_the_url_connects_as_superuser(
    tmp_path: Path,
) -> None:
    with (
        embedded_postgres(tmp_path / "pg") as url,
        psycopg.connect(url, autocommit=True) as connection,
    ):
        row = connection.execute("select rolsuper from pg_roles where rolname = current_user")
        assert row.fetchone() == (True,)


def test_given_data_from_an_earlier_run_when_restarted_then_the_data_is_still_there(
    tmp_path: Path,
) -> None:
    with (
        embedded_postgres(tmp_path / "pg") as url,
        psycopg.connect(url, autocommit=True) as connection,
    ):
        connection.execute("create table kept (value text)")
        connection.execute("insert into kept values ('from the first run')")

    with (
        embedded_postgres(tmp_path / "pg") as url,
        psycopg.connect(url, autocommit=True) as connection,
    ):
        assert connection.execute("select value from kept").fetchall() == [("from the first run",)]


def test_when_the_block_raises_then_no_server_process_is_left(tmp_path: Path) -> None:
    before = {child.pid for child in psutil.Process().children(recursive=True)}

    with pytest.raises(RuntimeError, match="boom"), embedded_postgres(tmp_path / "pg"):
        raise RuntimeError("boom")

    after = {child.pid for child in psutil.Process().children(recursive=True)}
    assert after <= before
