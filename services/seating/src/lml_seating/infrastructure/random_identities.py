"""Hold ids and fencing tokens from the operating system's randomness."""

from __future__ import annotations

import secrets

TOKEN_BYTES = 32


class RandomHoldIdentities:
    def new_hold_id(self) -> str:
        return f"hld_{secrets.token_hex(12)}"

    def new_token(self) -> str:
        return secrets.token_urlsafe(TOKEN_BYTES)
