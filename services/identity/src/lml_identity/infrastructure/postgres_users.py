"""Users in PostgreSQL (``lml.users``); Row-Level Security keeps each query in one organisation."""

from __future__ import annotations

from typing import Any

from psycopg.errors import UniqueViolation

from lml_identity.application.ports import UserCredentials
from lml_identity.domain import User, UsernameTaken
from lml_result import Err, Ok, Result
from lml_tenancy import TenantScope, in_tenant

USERNAME_CONSTRAINT = "users_username_key"  # migrations/0002_identity.sql


class PostgresUsers:
    def __init__(self, scope: TenantScope) -> None:
        self._scope = scope

    async def add(self, user: User, password_hash: str) -> Result[None, UsernameTaken]:
        try:
            async with in_tenant(self._scope, user.org_id) as conn:
                await conn.execute(
                    "insert into lml.users (tenant_id, id, username, password_hash, scopes)"
                    " values (%s, %s, %s, %s, %s::text[])",
                    (user.org_id, user.id, user.username, password_hash, sorted(user.scopes)),
                )
        except UniqueViolation as error:
            if error.diag.constraint_name == USERNAME_CONSTRAINT:
                return Err(UsernameTaken(username=user.username))
            raise
        return Ok(None)

    async def find_by_username(self, org_id: str, username: str) -> UserCredentials | None:
        async with in_tenant(self._scope, org_id) as conn:
            cursor = await conn.execute(
                "select id, tenant_id, username, scopes, password_hash"
                " from lml.users where username = %s",
                (username,),
            )
            row = await cursor.fetchone()
        if row is None:
            return None
        return UserCredentials(user=_user(row), password_hash=row[4])

    async def get(self, org_id: str, user_id: str) -> User | None:
        async with in_tenant(self._scope, org_id) as conn:
            cursor = await conn.execute(
                "select id, tenant_id, username, scopes from lml.users where id = %s", (user_id,)
            )
            row = await cursor.fetchone()
        return None if row is None else _user(row)

    async def set_password_hash(self, org_id: str, user_id: str, password_hash: str) -> None:
        async with in_tenant(self._scope, org_id) as conn:
            await conn.execute(
                "update lml.users set password_hash = %s where id = %s", (password_hash, user_id)
            )


def _user(row: tuple[Any, ...]) -> User:
    return User(id=row[0], org_id=row[1], username=row[2], scopes=frozenset(row[3]))
