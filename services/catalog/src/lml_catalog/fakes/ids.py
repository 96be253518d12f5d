"""Deterministic identifiers: the n-th call gives the n-th id."""

from __future__ import annotations

import itertools

from lml_catalog.domain.ids import PrefixedIds


class SequentialIds(PrefixedIds):
    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def unique_part(self) -> str:
        return str(next(self._counter))
