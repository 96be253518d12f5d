"""One call of a Lua script: its keys, then its arguments."""

from __future__ import annotations

from collections.abc import Sequence

Arg = str | bytes | int | float
Call = tuple[Sequence[str], Sequence[Arg]]
