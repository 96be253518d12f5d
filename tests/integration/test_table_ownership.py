"""Table ownership (docs/decisions/0006-table-ownership.md), as the schema records it.

Every table, view and function of the ``lml`` schema names its owning context in its
comment (``Owner: <context>.``); one that other contexts may use says ``Published:``.
A service's code names only what it owns or what another context publishes.
"""

import re
from collections.abc import AsyncIterator
from pathlib import Path

import psycopg
import pytest
import pytest_asyncio

from lml_postgres import migrate_up
from lml_testing.databases import TemporaryDatabase, create_database, drop_database

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("identity", "catalog", "seating", "ordering", "payments")
# lml_tenancy and lml_postgres: Row-Level Security and the schema's own machinery.
OWNERS = {*SERVICES, "platform"}
BOOKKEEPING_TABLES = {"schema_migrations", "schema_migration_failures"}  # the runner's own

OWNER = re.compile(r"^Owner: (\w+)\.")
NAMED = re.compile(r"\blml\.([a-z_]+)\b")

OBJECTS = """
select c.relname, obj_description(c.oid, 'pg_class')
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname = 'lml' and c.relkind in ('r', 'p', 'v', 'm')
union all
select p.proname, obj_description(p.oid, 'pg_proc')
from pg_proc p join pg_namespace n on n.oid = p.pronamespace
where n.nspname = 'lml'
"""


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def migrations_only(postgres_admin_url: str) -> AsyncIterator[TemporaryDatabase]:
    """A database holding exactly what the migrations create: the session's shared one
    also holds what tests add to it (a failing trigger function, say)."""
    database = await create_database(postgres_admin_url)
    try:
        await migrate_up(database.admin_url, ROOT / "migrations")
        yield database
    finally:
        await drop_database(postgres_admin_url, database)


async def schema_objects(database: TemporaryDatabase) -> dict[str, str | None]:
    """Every table, view and function of the schema, with its comment."""
    async with await psycopg.AsyncConnection.connect(database.admin_url) as conn:
        cursor = await conn.execute(OBJECTS)
        rows = await cursor.fetchall()
    return {name: comment for name, comment in rows if name not in BOOKKEEPING_TABLES}


def named_in(service: str) -> set[str]:
    """Every ``lml.<name>`` a service's code mentions, SQL and docstrings alike."""
    sources = (ROOT / "services" / service / "src").rglob("*.py")
    return {name for path in sources for name in NAMED.findall(path.read_text())}


async def test_every_table_view_and_function_names_its_owner(
    migrations_only: TemporaryDatabase,
) -> None:
    objects = await schema_objects(migrations_only)

    unowned = {
        name
        for name, comment in objects.items()
        if comment is None or (match := OWNER.match(comment)) is None or match[1] not in OWNERS
    }

    assert not unowned, f"give these an 'Owner: <context>.' comment in a migration: {unowned}"


@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_names_only_what_it_owns_or_another_context_publishes(
    migrations_only: TemporaryDatabase, service: str
) -> None:
    objects = await schema_objects(migrations_only)

    trespassed = {
        name
        for name in named_in(service) & objects.keys()
        if not (comment := objects[name] or "").startswith(f"Owner: {service}.")
        and "Published:" not in comment
    }

    assert not trespassed, f"{service} uses another context's private {trespassed}"
