"""Identifiers and client secrets from the operating system's CSPRNG."""

from __future__ import annotations

import secrets

from lml_identity.domain.ids import PrefixedIds

ID_BYTES = 16
CLIENT_SECRET_BYTES = 32


class RandomSecrets(PrefixedIds):
    def unique_part(self) -> str:
        return secrets.token_hex(ID_BYTES)

    def new_client_secret(self) -> str:
        return secrets.token_urlsafe(CLIENT_SECRET_BYTES)
