"""Identifiers from the operating system's CSPRNG."""

from __future__ import annotations

import secrets

ID_BYTES = 16


class RandomIds:
    def new_venue_id(self) -> str:
        return f"ven_{secrets.token_hex(ID_BYTES)}"

    def new_event_id(self) -> str:
        return f"evt_{secrets.token_hex(ID_BYTES)}"
