"""The wall clock and random order ids."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class RandomOrderIds:
    def new_order_id(self) -> str:
        return f"ord_{secrets.token_hex(10)}"
