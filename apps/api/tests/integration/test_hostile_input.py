"""Input no store can take (NUL characters, JSON nested thousands deep) answers a Problem
Details 4xx before any handler runs, never a 500, and changes nothing anywhere."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import psycopg
import pytest
import redis.asyncio

from lml_api.app import create_app
from lml_api.tokens import build_tokens
from lml_config import Settings
from lml_testing.databases import TemporaryDatabase
from lml_testing.served import served

pytestmark = pytest.mark.integration

SCOPES = ["venues.write", "venues.read", "inventory.holds:write", "inventory.read"]


@pytest.fixture
def settings(
    make_settings: Callable[..., Settings], mongo_url: str, redis_key_prefix: str
) -> Settings:
    return make_settings(mongo_url=mongo_url, redis_key_prefix=redis_key_prefix)


async def organisation(admin_url: str) -> str:
    tenant = f"org_{uuid.uuid4().hex[:12]}"
    async with await psycopg.AsyncConnection.connect(admin_url) as owner:
        await owner.execute(
            "insert into lml.tenants (tenant_id, name) values (%s, 'Org')", (tenant,)
        )
    return tenant


def bearer(settings: Settings, tenant: str) -> dict[str, str]:
    issued = build_tokens(settings).issuer.issue("usr_1", tenant, SCOPES)
    return {"Authorization": f"Bearer {issued.access_token}"}


async def state(admin_url: str, redis_url: str, prefix: str) -> tuple[object, ...]:
    """Every row a rejected request could have written, and every key under the prefix but
    the rate-limit counters: a refused request still spends its caller's budget."""
    async with await psycopg.AsyncConnection.connect(admin_url) as owner:
        cursor = await owner.execute(
            "select (select count(*) from lml.venues), (select count(*) from lml.holds),"
            " (select count(*) from lml.events)"
        )
        rows = await cursor.fetchone()
    client = redis.asyncio.Redis.from_url(redis_url)
    try:
        keys = sorted(
            [key async for key in client.scan_iter(match=f"{prefix}*") if b":rl:" not in key]
        )
    finally:
        await client.aclose()
    return (rows, keys)


NESTED_ARRAY = b'{"event_id": "evt_x", "seat_ids": ' + b"[" * 20_000 + b"]" * 20_000 + b"}"
NESTED_OBJECT = b'{"name": ' + b'{"a": ' * 5_000 + b"1" + b"}" * 5_000 + b"}"

HOSTILE = [
    pytest.param("POST", "/v1/holds", NESTED_ARRAY, 400, id="array nested 20,000 deep"),
    pytest.param("POST", "/v1/venues", NESTED_OBJECT, 400, id="object nested 5,000 deep"),
    pytest.param("POST", "/v1/venues", b'{"name": "Hall\\u0000"}', 400, id="NUL in a name"),
    pytest.param(
        "POST",
        "/v1/holds",
        b'{"event_id": "evt_x", "seat_ids": ["A-\\u0000"]}',
        400,
        id="NUL in a seat id",
    ),
    pytest.param(
        "POST",
        "/v1/holds",
        b'{"event_id": "evt\\u0000", "seat_ids": ["A-1"]}',
        400,
        id="NUL in an event id",
    ),
    pytest.param("GET", "/v1/holds/hld%00", None, 404, id="NUL in a path id"),
    pytest.param("DELETE", "/v1/holds/hld_1?hold_token=%00", None, 400, id="NUL in a query"),
    pytest.param("GET", "/v1/venues/ven%00x", None, 404, id="NUL in a venue id"),
]


@pytest.mark.parametrize(("method", "path", "body", "status"), HOSTILE)
async def test_given_input_no_store_can_take_then_a_problem_4xx_and_nothing_changes(
    settings: Settings,
    migrated_database: TemporaryDatabase,
    redis_url: str,
    redis_key_prefix: str,
    method: str,
    path: str,
    body: bytes | None,
    status: int,
) -> None:
    headers = {
        **bearer(settings, await organisation(migrated_database.admin_url)),
        "Content-Type": "application/json",
        "Idempotency-Key": f"hostile-{uuid.uuid4().hex}",
    }
    before = await state(migrated_database.admin_url, redis_url, redis_key_prefix)

    async with served(create_app(settings=settings)) as api:
        response = await api.request(method, path, content=body, headers=headers)

    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert await state(migrated_database.admin_url, redis_url, redis_key_prefix) == before


async def test_given_an_escaped_backslash_before_u0000_then_it_is_text_not_a_nul(
    settings: Settings, migrated_database: TemporaryDatabase
) -> None:
    """``\\\\u0000`` in JSON is a backslash followed by "u0000": ordinary text."""
    tenant = await organisation(migrated_database.admin_url)
    async with served(create_app(settings=settings)) as api:
        response = await api.post(
            "/v1/venues",
            content=b'{"name": "Hall \\\\u0000"}',
            headers={**bearer(settings, tenant), "Content-Type": "application/json"},
        )

    assert response.status_code == 201, response.text
    assert response.json()["name"] == "Hall \\u0000"
