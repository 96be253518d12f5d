"""How long each Lua script call takes, as seen by the caller."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Histogram

from lml_metrics import REGISTRY, Children

LUA_SECONDS = Histogram(
    "lml_seating_lua_duration_seconds",
    "Round trip of one seating Lua script call, by script.",
    ("script",),
    registry=REGISTRY,
    buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25),
)
_lua_seconds = Children(LUA_SECONDS)


@contextmanager
def timed(script: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        _lua_seconds.labels(script).observe(time.perf_counter() - started)
