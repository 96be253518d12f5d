"""One contract suite over two backends: the fake, and the real adapter on a real server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest

from lml_postgres import AppPool

Adapters = TypeVar("Adapters")


def backends(real: str) -> list[object]:
    """Parameters for a fixture that builds the fake (``"memory"``) or the ``real`` adapter;
    the real one is marked ``integration``."""
    return [pytest.param("memory"), pytest.param(real, marks=pytest.mark.integration)]


def memory_or_postgres(
    name: str,
    in_memory: Callable[[], Adapters],
    in_postgres: Callable[[AppPool], Adapters],
) -> Any:
    """A fixture called ``name``: ``in_memory()``, then ``in_postgres(app_pool)``.

    Assign it in a conftest (``storage = memory_or_postgres("storage", ...)``) and pytest
    finds it there like any fixture defined in place.
    """

    @pytest.fixture(name=name, params=backends("postgres"))
    def adapters(request: pytest.FixtureRequest) -> Adapters:
        if request.param == "memory":
            return in_memory()
        return in_postgres(request.getfixturevalue("app_pool"))

    return adapters
