"""Deterministic identifiers and secrets: the n-th call gives the n-th value."""

from __future__ import annotations

import itertools

from lml_identity.domain.ids import PrefixedIds


class FakeSecrets(PrefixedIds):
    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def unique_part(self) -> str:
        return str(next(self._counter))

    def new_client_secret(self) -> str:
        return f"secret_{next(self._counter)}"
