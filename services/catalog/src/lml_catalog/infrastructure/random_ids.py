"""Identifiers from the operating system's CSPRNG."""

from __future__ import annotations

import secrets

from lml_catalog.domain.ids import PrefixedIds

ID_BYTES = 16


class RandomIds(PrefixedIds):
    def unique_part(self) -> str:
        return secrets.token_hex(ID_BYTES)
