""" "A seat can be taken" is one rule written twice, in SQL for PostgreSQL and in Python for
the in-memory inventory: both give the same answer for every kind of seat."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from lml_seating.domain import seat_can_be_taken, seat_status_at
from lml_testing.databases import TemporaryDatabase

pytestmark = pytest.mark.integration

AT = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
STATUSES = ("available", "held", "sold", "blocked")
EXPIRIES = (None, AT - timedelta(seconds=1), AT, AT + timedelta(milliseconds=1))
CHANNELS = (None, "web", "box-office")
CASES = list(itertools.product(STATUSES, EXPIRIES, CHANNELS, CHANNELS))


async def test_given_every_kind_of_seat_then_postgres_and_python_agree_whether_it_can_be_taken(
    migrated_database: TemporaryDatabase,
) -> None:
    async with await psycopg.AsyncConnection.connect(migrated_database.admin_url) as conn:
        rows = [
            await (
                await conn.execute(
                    "select lml.seat_can_be_taken(%s, %s, %s, %s, %s),"
                    " lml.seat_status_at(%s, %s, %s)",
                    (status, expires, seat_channel, hold_channel, AT, status, expires, AT),
                )
            ).fetchone()
            for status, expires, seat_channel, hold_channel in CASES
        ]

    in_python = [
        (
            seat_can_be_taken(status, expires, seat_channel, hold_channel, AT),
            seat_status_at(status, expires, AT),
        )
        for status, expires, seat_channel, hold_channel in CASES
    ]
    assert rows == in_python
    # The grid reaches both answers, and a lapsed hold's seat among the takeable ones.
    assert {taken for taken, _ in in_python} == {True, False}
    assert seat_can_be_taken("held", AT, None, None, AT)
