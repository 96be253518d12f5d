"""Deterministic identifiers and secrets: the n-th call gives the n-th value."""

from __future__ import annotations

import itertools


class FakeSecrets:
    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def new_organisation_id(self) -> str:
        return f"org_{next(self._counter)}"

    def new_user_id(self) -> str:
        return f"usr_{next(self._counter)}"

    def new_client_id(self) -> str:
        return f"cli_{next(self._counter)}"

    def new_client_secret(self) -> str:
        return f"secret_{next(self._counter)}"
