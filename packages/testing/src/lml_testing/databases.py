"""Throw-away PostgreSQL databases for one test or one test session."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from lml_postgres import app_conninfo
from lml_testing.settings import settings_for_tests


@dataclass(frozen=True, slots=True)
class TemporaryDatabase:
    name: str
    admin_url: str  # the owner; migrations run as this role
    app_url: str  # the application role, subject to Row-Level Security


async def create_database(server_admin_url: str) -> TemporaryDatabase:
    name = f"lml_test_{uuid.uuid4().hex[:12]}"
    async with await psycopg.AsyncConnection.connect(server_admin_url, autocommit=True) as conn:
        await conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    admin_url = make_conninfo(server_admin_url, dbname=name)
    return TemporaryDatabase(
        name=name,
        admin_url=admin_url,
        app_url=app_conninfo(settings_for_tests(database_url=admin_url)),
    )


async def drop_database(server_admin_url: str, database: TemporaryDatabase) -> None:
    async with await psycopg.AsyncConnection.connect(server_admin_url, autocommit=True) as conn:
        await conn.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(database.name))
        )
