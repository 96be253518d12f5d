import os
import stat
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


@pytest.mark.skipif(os.geteuid() != 0, reason="only root runs PostgreSQL as another account")
def test_given_root_in_a_private_folder_when_started_then_it_serves_and_no_folder_is_opened(
    tmp_path: Path,
) -> None:
    """As root, PostgreSQL runs as another account that cannot enter a 0700 folder (/root,
    mktemp -d); it must work there all the same, without opening the user's folders."""
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    data_dir = private / "checkout" / ".lml" / "postgres"
    modes_before = {folder: folder.stat().st_mode for folder in (private, *private.parents)}

    with embedded_postgres(data_dir) as url, psycopg.connect(url) as conn:
        conn.execute("create table kept (n int)")
        conn.execute("insert into kept values (7)")
        conn.commit()
    with embedded_postgres(data_dir) as url, psycopg.connect(url) as conn:
        assert conn.execute("select n from kept").fetchone() == (7,)

    assert {folder: folder.stat().st_mode for folder in modes_before} == modes_before
    assert stat.S_IMODE(private.stat().st_mode) == 0o700
