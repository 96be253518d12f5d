"""In-memory API clients."""

from __future__ import annotations

from lml_identity.application.ports import ClientCredentials
from lml_identity.domain import ApiClient


class InMemoryApiClients:
    def __init__(self) -> None:
        self._clients: dict[str, ClientCredentials] = {}

    async def add(self, client: ApiClient, secret_hash: str) -> None:
        if client.client_id in self._clients:
            raise ValueError(f"client id {client.client_id!r} already exists")
        self._clients[client.client_id] = ClientCredentials(client=client, secret_hash=secret_hash)

    async def find(self, client_id: str) -> ClientCredentials | None:
        return self._clients.get(client_id)

    async def tenant_of(self, client_id: str) -> str | None:
        stored = self._clients.get(client_id)
        return None if stored is None else stored.client.org_id
