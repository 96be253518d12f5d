"""Random order ids."""

from __future__ import annotations

import secrets


class RandomOrderIds:
    def new_order_id(self) -> str:
        return f"ord_{secrets.token_hex(10)}"
