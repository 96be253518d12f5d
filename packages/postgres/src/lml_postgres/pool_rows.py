"""Rows of a statement run on a pool connection of its own, outside any tenant's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psycopg.rows import dict_row

from lml_postgres.faults import postgres_faults
from lml_postgres.pool import AppPool


async def fetch_rows(pool: AppPool, query: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    """Every row of ``query``, by column name, with driver faults translated.

    For the few statements that work across organisations (a worker's claims, the dead
    letters, the refunds due): Row-Level Security hides every tenant's rows here, so
    ``query`` calls a security-definer function that reads them.
    """
    with postgres_faults():
        async with pool.connection() as conn:
            cursor = conn.cursor(row_factory=dict_row)
            await cursor.execute(query, params)
            return await cursor.fetchall()
