"""Identifiers and client secrets from the operating system's CSPRNG."""

from __future__ import annotations

import secrets

ID_BYTES = 16
CLIENT_SECRET_BYTES = 32


class RandomSecrets:
    def new_organisation_id(self) -> str:
        return f"org_{secrets.token_hex(ID_BYTES)}"

    def new_user_id(self) -> str:
        return f"usr_{secrets.token_hex(ID_BYTES)}"

    def new_client_id(self) -> str:
        return f"cli_{secrets.token_hex(ID_BYTES)}"

    def new_client_secret(self) -> str:
        return secrets.token_urlsafe(CLIENT_SECRET_BYTES)
