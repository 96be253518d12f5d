"""Deterministic identifiers: the n-th call gives the n-th id."""

from __future__ import annotations

import itertools


class SequentialIds:
    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def new_venue_id(self) -> str:
        return f"ven_{next(self._counter)}"

    def new_event_id(self) -> str:
        return f"evt_{next(self._counter)}"
