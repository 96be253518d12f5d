"""Row-Level Security: the application role sees and writes only the current tenant's rows."""

import uuid
from dataclasses import dataclass
from typing import Any, LiteralString

import psycopg
import psycopg.errors
import pytest
from psycopg import sql

from lml_postgres import AppPool
from lml_tenancy import with_tenant
from lml_testing.databases import TemporaryDatabase

pytestmark = pytest.mark.integration

TENANT_TABLES = [
    "tenants",
    "events",
    "event_seats",
    "orders",
    "order_lines",
    "stripe_events",
    "order_audit_log",
    "users",
    "api_clients",
    "venues",
    "event_zones",
    "holds",
    "event_inventory_versions",
    "outbox",
    "payments",
]
BOOKKEEPING_TABLES = {"schema_migrations", "schema_migration_failures"}

SQLText = LiteralString | sql.Composed
Statement = tuple[LiteralString, dict[str, Any]]


@dataclass(frozen=True)
class Tenants:
    current: str
    other: str


def ids(tenant: str) -> dict[str, Any]:
    return {
        "tenant": tenant,
        "event": f"{tenant}-event",
        "order": f"{tenant}-order",
        "hold": f"{tenant}-hold",
        "stripe_event": f"evt_{tenant}",
        "intent": f"pi_{tenant}",
        "user": f"{tenant}-user",
        "client": f"{tenant}-client",
        "venue": f"{tenant}-venue",
    }


SEED: list[LiteralString] = [
    "insert into lml.tenants (tenant_id, name) values (%(tenant)s, 'Tenant')",
    "insert into lml.venues (tenant_id, id, name) values (%(tenant)s, %(venue)s, 'Hall')",
    "insert into lml.events (tenant_id, id, venue_id, seatmap_id, name, starts_at, currency,"
    " max_seats_per_hold) values (%(tenant)s, %(event)s, %(venue)s, 'seatmap', 'Concert',"
    " '2026-11-30T20:00:00Z', 'EUR', 6)",
    "insert into lml.event_zones (tenant_id, event_id, zone_id, name, price_category, capacity)"
    " values (%(tenant)s, %(event)s, 'GA', 'Floor', 'standard', 100)",
    "insert into lml.event_inventory_versions (tenant_id, event_id, version)"
    " values (%(tenant)s, %(event)s, 1)",
    "insert into lml.event_seats (tenant_id, event_id, seat_id, price_category)"
    " values (%(tenant)s, %(event)s, 'A-1', 'standard')",
    "insert into lml.orders (tenant_id, id, event_id, hold_id, buyer_email, buyer_name,"
    " total_amount, currency, expires_at) values (%(tenant)s, %(order)s, %(event)s, %(hold)s,"
    " 'buyer@example.com', 'Buyer', 4500, 'EUR', now() + interval '15 minutes')",
    "insert into lml.order_lines (tenant_id, order_id, line_no, seat_id, price_category, amount)"
    " values (%(tenant)s, %(order)s, 1, 'A-1', 'standard', 4500)",
    "insert into lml.stripe_events (tenant_id, id, type, payload)"
    " values (%(tenant)s, %(stripe_event)s, 'payment_intent.succeeded', '{}')",
    "insert into lml.order_audit_log (tenant_id, order_id, to_status, reason)"
    " values (%(tenant)s, %(order)s, 'pending', 'created')",
    "insert into lml.users (tenant_id, id, username, password_hash)"
    " values (%(tenant)s, %(user)s, 'owner', 'hash')",
    "insert into lml.api_clients (tenant_id, client_id, name, secret_hash)"
    " values (%(tenant)s, %(client)s, 'Box office', 'hash')",
    "insert into lml.holds (tenant_id, id, event_id, token_hash, seat_ids, created_at,"
    " expires_at, max_expires_at) values (%(tenant)s, %(hold)s, %(event)s, 'hash', '{A-1}',"
    " now(), now() + interval '5 minutes', now() + interval '30 minutes')",
    "insert into lml.outbox (tenant_id, topic, payload) values (%(tenant)s, 'stripe.event', '{}')",
    "insert into lml.payments (tenant_id, order_id, intent_id, amount, currency)"
    " values (%(tenant)s, %(order)s, %(intent)s, 4500, 'EUR')",
]


def new_row(table: str, tenant: str, parent_tenant: str) -> Statement:
    """An INSERT of a new row in ``table`` for ``tenant``, whose parents are ``parent_tenant``'s."""
    fresh = uuid.uuid4().hex
    parent = ids(parent_tenant)
    params = {"tenant": tenant, "fresh": fresh, **{f"parent_{k}": v for k, v in parent.items()}}
    statements: dict[str, LiteralString] = {
        "tenants": "insert into lml.tenants (tenant_id, name) values (%(tenant)s, 'New')",
        "events": "insert into lml.events (tenant_id, id, venue_id, seatmap_id, name, starts_at,"
        " currency, max_seats_per_hold) values (%(tenant)s, %(fresh)s, %(parent_venue)s,"
        " 'seatmap', 'Concert', now(), 'EUR', 6)",
        "event_seats": "insert into lml.event_seats (tenant_id, event_id, seat_id, price_category)"
        " values (%(tenant)s, %(parent_event)s, %(fresh)s, 'standard')",
        "orders": "insert into lml.orders (tenant_id, id, event_id, hold_id, buyer_email,"
        " buyer_name, total_amount, currency, expires_at) values (%(tenant)s, %(fresh)s,"
        " %(parent_event)s, %(fresh)s, 'b@example.com', 'B', 1, 'EUR', now())",
        "order_lines": "insert into lml.order_lines (tenant_id, order_id, line_no, zone_id,"
        " price_category, amount) values (%(tenant)s, %(parent_order)s,"
        " 100 + floor(random() * 1000000)::int, 'GA', 'standard', 1)",
        "stripe_events": "insert into lml.stripe_events (tenant_id, id, type, payload)"
        " values (%(tenant)s, %(fresh)s, 'charge.refunded', '{}')",
        "order_audit_log": "insert into lml.order_audit_log (tenant_id, order_id, from_status,"
        " to_status, reason) values (%(tenant)s, %(parent_order)s, 'pending', 'paid', 'paid')",
        "users": "insert into lml.users (tenant_id, id, username, password_hash)"
        " values (%(tenant)s, %(fresh)s, %(fresh)s, 'hash')",
        "api_clients": "insert into lml.api_clients (tenant_id, client_id, name, secret_hash)"
        " values (%(tenant)s, %(fresh)s, 'Kiosk', 'hash')",
        "venues": "insert into lml.venues (tenant_id, id, name) values (%(tenant)s, %(fresh)s,"
        " 'Arena')",
        "event_zones": "insert into lml.event_zones (tenant_id, event_id, zone_id, name,"
        " price_category, capacity) values (%(tenant)s, %(parent_event)s, %(fresh)s, 'Zone',"
        " 'standard', 10)",
        "event_inventory_versions": "with event as (insert into lml.events (tenant_id, id,"
        " venue_id, seatmap_id, name, starts_at, currency, max_seats_per_hold) values"
        " (%(tenant)s, %(fresh)s, %(parent_venue)s, 'seatmap', 'Concert', now(), 'EUR', 6)"
        " returning tenant_id, id) insert into lml.event_inventory_versions (tenant_id,"
        " event_id, version) select tenant_id, id, 1 from event",
        "holds": "insert into lml.holds (tenant_id, id, event_id, token_hash, created_at,"
        " expires_at, max_expires_at) values (%(tenant)s, %(fresh)s, %(parent_event)s, 'hash',"
        " now(), now(), now())",
        "outbox": "insert into lml.outbox (tenant_id, topic, payload)"
        " values (%(tenant)s, 'stripe.event', '{}')",
        "payments": "with o as (insert into lml.orders (tenant_id, id, event_id, hold_id,"
        " buyer_email, buyer_name, total_amount, currency, expires_at) values (%(tenant)s,"
        " %(fresh)s, %(parent_event)s, %(fresh)s, 'b@example.com', 'B', 1, 'EUR', now())"
        " returning tenant_id, id) insert into lml.payments (tenant_id, order_id, intent_id,"
        " amount, currency) select tenant_id, id, %(fresh)s, 1, 'EUR' from o",
    }
    return statements[table], params


def table_sql(template: LiteralString, table: str) -> sql.Composed:
    return sql.SQL(template).format(table=sql.Identifier("lml", table))


async def run(pool: AppPool, tenant: str, statement: SQLText, params: dict[str, Any]) -> None:
    async with with_tenant(pool, tenant) as conn:
        await conn.execute(statement, params)


@pytest.fixture
async def tenants(migrated_database: TemporaryDatabase) -> Tenants:
    """Two tenants, each with one row in every tenant table, written by the owner."""
    pair = Tenants(current=f"t-{uuid.uuid4().hex}", other=f"t-{uuid.uuid4().hex}")
    async with await psycopg.AsyncConnection.connect(migrated_database.admin_url) as owner:
        for tenant in (pair.current, pair.other):
            for statement in SEED:
                await owner.execute(statement, ids(tenant))
    return pair


async def count_as_owner(database: TemporaryDatabase, table: str, tenant: str) -> int:
    async with await psycopg.AsyncConnection.connect(database.admin_url) as owner:
        cursor = await owner.execute(
            table_sql("select count(*) from {table} where tenant_id = %s", table), (tenant,)
        )
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize("table", TENANT_TABLES)
async def test_given_a_tenant_when_selecting_without_a_filter_then_only_its_rows_come_back(
    app_pool: AppPool, tenants: Tenants, table: str
) -> None:
    async with with_tenant(app_pool, tenants.current) as conn:
        cursor = await conn.execute(table_sql("select tenant_id from {table}", table))
        assert await cursor.fetchall() == [(tenants.current,)]


@pytest.mark.parametrize("table", TENANT_TABLES)
async def test_given_a_tenant_when_filtering_on_another_tenant_then_nothing_comes_back(
    app_pool: AppPool, tenants: Tenants, table: str
) -> None:
    async with with_tenant(app_pool, tenants.current) as conn:
        cursor = await conn.execute(
            table_sql("select count(*) from {table} where tenant_id = %s", table),
            (tenants.other,),
        )
        assert await cursor.fetchone() == (0,)


@pytest.mark.parametrize("table", TENANT_TABLES)
async def test_given_no_tenant_when_selecting_then_no_rows_come_back(
    app_pool: AppPool, tenants: Tenants, table: str
) -> None:
    async with app_pool.connection() as conn:
        cursor = await conn.execute(table_sql("select count(*) from {table}", table))
        assert await cursor.fetchone() == (0,)


@pytest.mark.parametrize("table", TENANT_TABLES)
async def test_given_a_tenant_when_inserting_its_own_row_then_it_is_accepted(
    app_pool: AppPool, tenants: Tenants, table: str
) -> None:
    tenant = f"t-{uuid.uuid4().hex}" if table == "tenants" else tenants.current
    statement, params = new_row(table, tenant, tenants.current)

    async with with_tenant(app_pool, tenant) as conn:
        cursor = await conn.execute(statement, params)
        assert cursor.rowcount == 1


@pytest.mark.parametrize("table", TENANT_TABLES)
async def test_given_a_tenant_when_inserting_a_row_for_another_tenant_then_it_is_rejected(
    app_pool: AppPool, tenants: Tenants, table: str
) -> None:
    statement, params = new_row(table, tenants.other, tenants.other)

    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        await run(app_pool, tenants.current, statement, params)


@pytest.mark.parametrize("table", TENANT_TABLES)
async def test_given_a_tenant_when_moving_its_rows_to_another_tenant_then_it_is_rejected(
    app_pool: AppPool, tenants: Tenants, table: str
) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        async with with_tenant(app_pool, tenants.current) as conn:
            await conn.execute(
                table_sql("update {table} set tenant_id = %s", table), (tenants.other,)
            )


@pytest.mark.parametrize("table", TENANT_TABLES)
async def test_given_a_tenant_when_updating_another_tenants_rows_then_none_change(
    app_pool: AppPool, tenants: Tenants, table: str
) -> None:
    async with with_tenant(app_pool, tenants.current) as conn:
        cursor = await conn.execute(
            table_sql("update {table} set tenant_id = tenant_id where tenant_id = %s", table),
            (tenants.other,),
        )
        assert cursor.rowcount == 0


@pytest.mark.parametrize("table", TENANT_TABLES)
async def test_given_a_tenant_when_deleting_another_tenants_rows_then_none_go(
    app_pool: AppPool, tenants: Tenants, table: str, migrated_database: TemporaryDatabase
) -> None:
    async with with_tenant(app_pool, tenants.current) as conn:
        cursor = await conn.execute(
            table_sql("delete from {table} where tenant_id = %s", table), (tenants.other,)
        )
        assert cursor.rowcount == 0

    assert await count_as_owner(migrated_database, table, tenants.other) == 1


CHILD_TABLES = ["event_seats", "orders", "order_lines", "order_audit_log", "holds"]


@pytest.mark.parametrize("table", CHILD_TABLES)
async def test_given_a_tenant_when_referencing_another_tenants_parent_then_it_is_rejected(
    app_pool: AppPool, tenants: Tenants, table: str
) -> None:
    statement, params = new_row(table, tenants.current, tenants.other)

    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        await run(app_pool, tenants.current, statement, params)


@pytest.mark.parametrize(
    "change",
    ["disable row level security", "no force row level security", "owner to lml_app"],
)
@pytest.mark.parametrize("table", TENANT_TABLES)
async def test_given_the_app_role_when_altering_a_tenant_table_then_it_is_refused(
    app_pool: AppPool, table: str, change: LiteralString
) -> None:
    statement = sql.SQL("alter table {table} " + change).format(table=sql.Identifier("lml", table))

    async with app_pool.connection() as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            await conn.execute(statement)


@pytest.mark.parametrize("table", TENANT_TABLES)
async def test_given_row_security_off_when_the_app_role_selects_then_it_is_refused(
    app_pool: AppPool, tenants: Tenants, table: str
) -> None:
    async with with_tenant(app_pool, tenants.current) as conn:
        await conn.execute("set local row_security = off")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            await conn.execute(table_sql("select count(*) from {table}", table))


async def test_given_the_app_role_then_it_has_no_privilege_that_bypasses_rls(
    app_pool: AppPool,
) -> None:
    async with app_pool.connection() as conn:
        cursor = await conn.execute(
            "select rolsuper, rolbypassrls, rolcreatedb, rolcreaterole from pg_roles"
            " where rolname = current_user"
        )
        assert await cursor.fetchone() == (False, False, False, False)


async def test_given_the_app_role_then_it_owns_nothing_in_the_schema(app_pool: AppPool) -> None:
    async with app_pool.connection() as conn:
        cursor = await conn.execute(
            "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            " where n.nspname = 'lml' and pg_get_userbyid(c.relowner) = current_user"
        )
        assert await cursor.fetchone() == (0,)


@pytest.mark.parametrize("table", sorted(BOOKKEEPING_TABLES))
async def test_given_the_app_role_when_reading_migration_bookkeeping_then_it_is_refused(
    app_pool: AppPool, table: str
) -> None:
    async with app_pool.connection() as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            await conn.execute(table_sql("select count(*) from {table}", table))


async def test_given_the_schema_then_every_table_but_bookkeeping_is_a_listed_tenant_table(
    migrated_database: TemporaryDatabase,
) -> None:
    """A new table must join TENANT_TABLES (and so every test above), or be bookkeeping."""
    async with await psycopg.AsyncConnection.connect(migrated_database.admin_url) as owner:
        cursor = await owner.execute(
            "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            " where n.nspname = 'lml' and c.relkind in ('r', 'p')"
        )
        tables = {row[0] for row in await cursor.fetchall()}

    assert tables - BOOKKEEPING_TABLES == set(TENANT_TABLES)


@pytest.mark.parametrize("table", TENANT_TABLES)
async def test_given_a_tenant_table_then_rls_is_forced_and_tenant_id_is_required(
    migrated_database: TemporaryDatabase, table: str
) -> None:
    async with await psycopg.AsyncConnection.connect(migrated_database.admin_url) as owner:
        cursor = await owner.execute(
            "select c.relrowsecurity, c.relforcerowsecurity, a.attnotnull"
            " from pg_class c join pg_attribute a on a.attrelid = c.oid"
            " where c.oid = %s::regclass and a.attname = 'tenant_id'",
            (f"lml.{table}",),
        )
        assert await cursor.fetchone() == (True, True, True)


@pytest.mark.parametrize("table", TENANT_TABLES)
async def test_given_a_tenant_table_then_the_app_role_gets_only_the_tenant_policies(
    migrated_database: TemporaryDatabase, table: str
) -> None:
    """Policies are OR-ed: one more permissive policy for the app role would widen access."""
    async with await psycopg.AsyncConnection.connect(migrated_database.admin_url) as owner:
        cursor = await owner.execute(
            "select cmd, permissive, qual, with_check from pg_policies"
            " where schemaname = 'lml' and tablename = %s"
            " and roles && array['public', 'lml_app']::name[] order by cmd",
            (table,),
        )
        policies = await cursor.fetchall()

    isolation = "(tenant_id = lml.current_tenant())"
    assert policies == [
        ("DELETE", "PERMISSIVE", isolation, None),
        ("INSERT", "PERMISSIVE", None, isolation),
        ("SELECT", "PERMISSIVE", isolation, None),
        ("UPDATE", "PERMISSIVE", isolation, isolation),
    ]
