"""In-memory users, each visible only through its own organisation, as in PostgreSQL."""

from __future__ import annotations

from lml_identity.application.ports import UserCredentials
from lml_identity.domain import User, UsernameTaken
from lml_result import Err, Ok, Result


class InMemoryUsers:
    def __init__(self) -> None:
        self._users: dict[str, UserCredentials] = {}

    async def add(self, user: User, password_hash: str) -> Result[None, UsernameTaken]:
        if await self.find_by_username(user.org_id, user.username) is not None:
            return Err(UsernameTaken(username=user.username))
        if user.id in self._users:
            raise ValueError(f"user id {user.id!r} already exists")
        self._users[user.id] = UserCredentials(user=user, password_hash=password_hash)
        return Ok(None)

    async def find_by_username(self, org_id: str, username: str) -> UserCredentials | None:
        return next(
            (
                stored
                for stored in self._users.values()
                if stored.user.org_id == org_id and stored.user.username == username
            ),
            None,
        )

    async def get(self, org_id: str, user_id: str) -> User | None:
        stored = self._in_org(org_id, user_id)
        return None if stored is None else stored.user

    async def set_password_hash(self, org_id: str, user_id: str, password_hash: str) -> None:
        stored = self._in_org(org_id, user_id)
        if stored is not None:
            self._users[user_id] = UserCredentials(user=stored.user, password_hash=password_hash)

    def _in_org(self, org_id: str, user_id: str) -> UserCredentials | None:
        stored = self._users.get(user_id)
        return stored if stored is not None and stored.user.org_id == org_id else None
