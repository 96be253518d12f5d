import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any, LiteralString

import psycopg
import pytest

from lml_postgres import (
    MIGRATION_LOCK_KEY,
    MigrationChecksumMismatch,
    MigrationFailed,
    MigrationRefused,
    MigrationStatus,
    default_migrations_dir,
    migrate_up,
    migration_status,
)
from lml_result import DependencyUnavailable
from lml_testing.databases import TemporaryDatabase
from lml_testing.polling import eventually
from lml_testing.settings import settings_for_tests

pytestmark = pytest.mark.integration

CREATE_ITEMS = "create table items (id integer primary key);"
ADD_LABEL = "alter table items add column label text;"
SEED_ITEMS = "insert into items (id, label) values (1, 'one');"
BROKEN = "create table half_done (id integer);\nselect 1;\nselect * from no_such_table;\n"


async def fetch(url: str, query: LiteralString, *params: Any) -> list[tuple[Any, ...]]:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        cursor = await conn.execute(query, params or None)
        return await cursor.fetchall()


async def relation_exists(url: str, name: str) -> bool:
    [(exists,)] = await fetch(url, "select to_regclass(%s) is not null", name)
    return bool(exists)


@pytest.fixture
def migrations(tmp_path: Path) -> Callable[..., Path]:
    directory = tmp_path / "migrations"
    directory.mkdir()

    def write(**files: str) -> Path:
        for name, sql in files.items():
            (directory / f"{name}.sql").write_text(sql, encoding="utf-8")
        return directory

    return write


async def test_given_pending_files_when_migrating_up_then_each_applies_in_version_order(
    empty_database: TemporaryDatabase, migrations: Callable[..., Path]
) -> None:
    directory = migrations(
        **{"0003_seed": SEED_ITEMS, "0001_items": CREATE_ITEMS, "0002_label": ADD_LABEL}
    )

    applied = await migrate_up(empty_database.admin_url, directory)

    assert [m.version for m in applied] == [1, 2, 3]
    assert await fetch(empty_database.admin_url, "select id, label from items") == [(1, "one")]
    recorded = await fetch(
        empty_database.admin_url, "select version, name from lml.schema_migrations order by 1"
    )
    assert recorded == [(1, "items"), (2, "label"), (3, "seed")]


async def test_given_everything_applied_when_migrating_up_again_then_nothing_changes(
    empty_database: TemporaryDatabase, migrations: Callable[..., Path]
) -> None:
    directory = migrations(**{"0001_items": CREATE_ITEMS, "0002_seed": ADD_LABEL + SEED_ITEMS})
    await migrate_up(empty_database.admin_url, directory)
    before = await fetch(empty_database.admin_url, "select * from lml.schema_migrations")

    applied = await migrate_up(empty_database.admin_url, directory)

    assert applied == []
    assert await fetch(empty_database.admin_url, "select * from lml.schema_migrations") == before
    assert await fetch(empty_database.admin_url, "select count(*) from items") == [(1,)]


async def test_given_a_file_failing_half_way_when_migrating_up_then_the_error_names_it(
    empty_database: TemporaryDatabase, migrations: Callable[..., Path]
) -> None:
    directory = migrations(**{"0001_items": CREATE_ITEMS, "0002_broken": BROKEN})

    with pytest.raises(MigrationFailed, match=r"0002_broken\.sql failed at line 3") as raised:
        await migrate_up(empty_database.admin_url, directory)

    assert raised.value.migration.version == 2
    assert "no_such_table" in str(raised.value)


async def test_given_a_file_failing_half_way_when_migrating_up_then_none_of_it_remains(
    empty_database: TemporaryDatabase, migrations: Callable[..., Path]
) -> None:
    directory = migrations(**{"0001_items": CREATE_ITEMS, "0002_broken": BROKEN})

    with pytest.raises(MigrationFailed):
        await migrate_up(empty_database.admin_url, directory)

    assert await relation_exists(empty_database.admin_url, "items")
    assert not await relation_exists(empty_database.admin_url, "half_done")


async def test_given_a_failed_file_when_asking_status_then_it_is_failed_and_later_ones_pending(
    empty_database: TemporaryDatabase, migrations: Callable[..., Path]
) -> None:
    directory = migrations(
        **{"0001_items": CREATE_ITEMS, "0002_broken": BROKEN, "0003_label": ADD_LABEL}
    )
    with pytest.raises(MigrationFailed):
        await migrate_up(empty_database.admin_url, directory)

    states = await migration_status(empty_database.admin_url, directory)

    assert [(s.version, s.status) for s in states] == [
        (1, MigrationStatus.APPLIED),
        (2, MigrationStatus.FAILED),
        (3, MigrationStatus.PENDING),
    ]
    assert states[1].is_pending
    assert states[1].error is not None
    assert "0002_broken.sql" in states[1].error


async def test_given_a_failed_file_was_fixed_when_migrating_up_then_its_failure_is_cleared(
    empty_database: TemporaryDatabase, migrations: Callable[..., Path]
) -> None:
    directory = migrations(**{"0001_items": CREATE_ITEMS, "0002_label": BROKEN})
    with pytest.raises(MigrationFailed):
        await migrate_up(empty_database.admin_url, directory)
    migrations(**{"0002_label": ADD_LABEL})

    applied = await migrate_up(empty_database.admin_url, directory)

    assert [m.version for m in applied] == [2]
    states = await migration_status(empty_database.admin_url, directory)
    assert [(s.status, s.error) for s in states] == [(MigrationStatus.APPLIED, None)] * 2


async def test_given_two_concurrent_runners_when_migrating_up_then_each_file_applies_once(
    empty_database: TemporaryDatabase, migrations: Callable[..., Path]
) -> None:
    directory = migrations(**{"0001_items": CREATE_ITEMS, "0002_seed": ADD_LABEL + SEED_ITEMS})
    url = empty_database.admin_url

    async def waiting_on_the_lock() -> bool:
        [(waiting,)] = await fetch(
            url,
            "select count(*) from pg_locks where locktype = 'advisory' and not granted"
            " and database = (select oid from pg_database where datname = current_database())",
        )
        return bool(waiting == 2)

    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as holder:
        await holder.execute("select pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
        runners = [asyncio.create_task(migrate_up(url, directory)) for _ in range(2)]
        await eventually(waiting_on_the_lock)
        await holder.execute("select pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))
        results = await asyncio.gather(*runners)

    assert sorted(len(applied) for applied in results) == [0, 2]
    assert await fetch(url, "select count(*) from lml.schema_migrations") == [(2,)]
    assert await fetch(url, "select count(*) from items") == [(1,)]


async def test_given_production_without_confirmation_when_migrating_up_then_it_is_refused(
    empty_database: TemporaryDatabase, migrations: Callable[..., Path]
) -> None:
    directory = migrations(**{"0001_items": CREATE_ITEMS})

    with pytest.raises(MigrationRefused, match="production"):
        await migrate_up(empty_database.admin_url, directory, production=True)

    assert not await relation_exists(empty_database.admin_url, "items")
    assert await fetch(empty_database.admin_url, "select to_regnamespace('lml')") == [(None,)]


async def test_given_production_with_confirmation_when_migrating_up_then_it_applies(
    empty_database: TemporaryDatabase, migrations: Callable[..., Path]
) -> None:
    directory = migrations(**{"0001_items": CREATE_ITEMS})

    applied = await migrate_up(
        empty_database.admin_url, directory, production=True, confirm_production=True
    )

    assert [m.version for m in applied] == [1]


async def test_given_an_applied_file_edited_since_when_asking_status_then_it_is_changed(
    empty_database: TemporaryDatabase, migrations: Callable[..., Path]
) -> None:
    directory = migrations(**{"0001_items": CREATE_ITEMS})
    await migrate_up(empty_database.admin_url, directory)
    migrations(**{"0001_items": CREATE_ITEMS + "\n-- edited"})

    [state] = await migration_status(empty_database.admin_url, directory)

    assert state.status is MigrationStatus.CHANGED


async def test_given_an_applied_file_edited_since_when_migrating_up_then_nothing_is_applied(
    empty_database: TemporaryDatabase, migrations: Callable[..., Path]
) -> None:
    directory = migrations(**{"0001_items": CREATE_ITEMS})
    await migrate_up(empty_database.admin_url, directory)
    migrations(**{"0001_items": CREATE_ITEMS + "\n-- edited", "0002_label": ADD_LABEL})

    with pytest.raises(MigrationChecksumMismatch, match=r"0001_items\.sql"):
        await migrate_up(empty_database.admin_url, directory)

    states = await migration_status(empty_database.admin_url, directory)
    assert states[1].status is MigrationStatus.PENDING


async def test_given_an_applied_file_deleted_when_asking_status_then_it_is_missing(
    empty_database: TemporaryDatabase, migrations: Callable[..., Path]
) -> None:
    directory = migrations(**{"0001_items": CREATE_ITEMS})
    await migrate_up(empty_database.admin_url, directory)
    (directory / "0001_items.sql").unlink()

    [state] = await migration_status(empty_database.admin_url, directory)

    assert (state.version, state.status) == (1, MigrationStatus.MISSING)


async def test_given_a_fresh_database_when_asking_status_then_all_pending_and_nothing_created(
    empty_database: TemporaryDatabase, migrations: Callable[..., Path]
) -> None:
    directory = migrations(**{"0001_items": CREATE_ITEMS, "0002_label": ADD_LABEL})

    states = await migration_status(empty_database.admin_url, directory)

    assert [s.status for s in states] == [MigrationStatus.PENDING] * 2
    assert await fetch(empty_database.admin_url, "select to_regnamespace('lml')") == [(None,)]


async def test_given_an_unreachable_server_when_migrating_up_then_postgresql_is_unavailable(
    migrations: Callable[..., Path],
) -> None:
    directory = migrations(**{"0001_items": CREATE_ITEMS})

    with pytest.raises(DependencyUnavailable) as raised:
        await migrate_up("postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=2", directory)

    assert raised.value.dependency == "postgresql"


async def test_given_the_repository_migrations_when_applied_twice_then_the_second_is_a_no_op(
    migrated_database: TemporaryDatabase,
) -> None:
    directory = default_migrations_dir(settings_for_tests())

    assert await migrate_up(migrated_database.admin_url, directory) == []
    states = await migration_status(migrated_database.admin_url, directory)
    assert {s.status for s in states} == {MigrationStatus.APPLIED}
