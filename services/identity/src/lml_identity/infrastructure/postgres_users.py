"""Users in PostgreSQL (``lml.users``); Row-Level Security keeps each query in one organisation."""

from __future__ import annotations

import msgspec

from lml_identity.application.ports import UserCredentials
from lml_identity.domain import User, UsernameTaken
from lml_result import Err, Ok, Result
from lml_tenancy import TenantScope, fetch_one, in_tenant, insert_new

USERNAME_CONSTRAINT = "users_username_key"  # migrations/0002_identity.sql


class PostgresUsers:
    def __init__(self, scope: TenantScope) -> None:
        self._scope = scope

    async def add(self, user: User, password_hash: str) -> Result[None, UsernameTaken]:
        added = await insert_new(
            self._scope,
            user.org_id,
            "insert into lml.users (tenant_id, id, username, password_hash, scopes)"
            " values (%s, %s, %s, %s, %s::text[])",
            (user.org_id, user.id, user.username, password_hash, sorted(user.scopes)),
            keys={USERNAME_CONSTRAINT},
        )
        return Ok(None) if added else Err(UsernameTaken(username=user.username))

    async def find_by_username(self, org_id: str, username: str) -> UserCredentials | None:
        row = await fetch_one(
            self._scope,
            org_id,
            "select id, tenant_id as org_id, username, scopes, password_hash"
            " from lml.users where username = %s",
            (username,),
        )
        if row is None:
            return None
        return UserCredentials(user=msgspec.convert(row, User), password_hash=row["password_hash"])

    async def get(self, org_id: str, user_id: str) -> User | None:
        row = await fetch_one(
            self._scope,
            org_id,
            "select id, tenant_id as org_id, username, scopes from lml.users where id = %s",
            (user_id,),
        )
        return None if row is None else msgspec.convert(row, User)

    async def set_password_hash(self, org_id: str, user_id: str, password_hash: str) -> None:
        async with in_tenant(self._scope, org_id) as conn:
            await conn.execute(
                "update lml.users set password_hash = %s where id = %s", (password_hash, user_id)
            )
