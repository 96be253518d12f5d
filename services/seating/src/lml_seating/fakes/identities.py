"""Predictable hold ids and tokens for tests."""

from __future__ import annotations

import itertools


class SequentialHoldIdentities:
    def __init__(self) -> None:
        self._numbers = itertools.count(1)

    def new_hold_id(self) -> str:
        return f"hld_{next(self._numbers):06d}"

    def new_token(self) -> str:
        return f"token-{next(self._numbers):06d}-{'x' * 32}"
