"""The scripts write times into availability events themselves; they must read exactly as
the API writes them."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from importlib.resources import files

import msgspec
import pytest
import redis.asyncio

from lml_seating.domain import rfc3339
from lml_seating.infrastructure import ScriptArguments

pytestmark = pytest.mark.integration

PRELUDE = files("lml_seating.infrastructure").joinpath("scripts", "prelude.lua").read_text()
FORMAT = PRELUDE + "\nreturn rfc3339(tonumber(ARGV[2]))"
KEYS = ["{t}:hold", "{t}:expiries", "{t}:events"]
ARGUMENTS = msgspec.json.encode(
    ScriptArguments(
        hold_id="hold",
        event_id="event",
        org_id="org",
        seat_count=0,
        seats_json="[]",
        ga_json="[]",
        sales_channel_id="",
        stream_max_length=1,
        stream_max_age_ms=1,
        tombstone_ms=1,
        token_digest="token",
        ttl_ms=0,
        lifetime_ms=0,
    )
)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
LAST = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z
EDGES = [
    0,
    LAST,
    951_782_399_999,  # 2000-02-28T23:59:59.999Z, before a leap day
    951_782_400_000,  # 2000-02-29
    4_107_456_000_000,  # 2100-02-28: 2100 is no leap year
    1_767_225_599_999,  # the last millisecond of 2025
]


@pytest.fixture
async def client(redis_url: str) -> AsyncIterator[redis.asyncio.Redis]:
    connection = redis.asyncio.Redis.from_url(redis_url, decode_responses=True)
    yield connection
    await connection.aclose()


async def test_given_any_millisecond_instant_the_script_formats_it_like_the_api(
    client: redis.asyncio.Redis,
) -> None:
    script = client.register_script(FORMAT)
    draw = random.Random(2026)
    instants = [*EDGES, *(draw.randint(0, LAST) for _ in range(500))]

    formatted = [await script(keys=KEYS, args=[ARGUMENTS, instant]) for instant in instants]

    expected = [rfc3339(EPOCH + timedelta(milliseconds=instant)) for instant in instants]
    assert formatted == expected
