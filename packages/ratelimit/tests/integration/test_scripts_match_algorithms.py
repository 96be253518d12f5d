"""The Lua scripts compute what ``lml_ratelimit.algorithms`` computes, step for step.

The scripts read Redis TIME, so this test registers copies whose clock is an
argument instead, and drives both sides through the same made-up timeline.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from importlib.resources import files
from typing import Any

import pytest
import redis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lml_ratelimit.algorithms import Step, sliding_window, token_bucket

pytestmark = pytest.mark.integration

MICROS = 1_000_000
START = 1_700_000_000 * MICROS
SERVER_CLOCK = "local time = redis.call('TIME')"
GIVEN_CLOCK = "local time = {ARGV[4], ARGV[5]}"
SCRIPTS: dict[str, Callable[[Any, int, int, int, int], tuple[Any, Step]]] = {
    "sliding_window.lua": sliding_window,
    "token_bucket.lua": token_bucket,
}
_keys = itertools.count()


@pytest.fixture(scope="module")
def client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


def with_given_clock(name: str) -> str:
    # As RedisRateLimiter loads it: the shared prelude (which reads the clock), then the script.
    scripts = files("lml_ratelimit").joinpath("scripts")
    source = "\n".join(
        scripts.joinpath(part).read_text(encoding="utf-8") for part in ("prelude.lua", name)
    )
    assert source.count(SERVER_CLOCK) == 1
    return source.replace(SERVER_CLOCK, GIVEN_CLOCK)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(sorted(SCRIPTS)),
    quota=st.integers(min_value=1, max_value=5),
    window_seconds=st.sampled_from([1, 7, 60]),
    hits=st.lists(
        st.tuples(st.integers(min_value=0, max_value=150 * MICROS), st.integers(1, 5)),
        max_size=25,
    ),
)
def test_the_script_and_the_algorithm_agree_on_every_step(
    client: redis.Redis,
    redis_key_prefix: str,
    name: str,
    quota: int,
    window_seconds: int,
    hits: list[tuple[int, int]],
) -> None:
    script = client.register_script(with_given_clock(name))
    key = f"{redis_key_prefix}:parity:{next(_keys)}"
    window = window_seconds * MICROS
    state, now = None, START
    for gap, wanted_cost in hits:
        now += gap
        cost = min(wanted_cost, quota)
        seconds, micros = divmod(now, MICROS)
        reply = script(keys=[key], args=[quota, window, cost, seconds, micros])
        state, expected = SCRIPTS[name](state, now, quota, window, cost)

        assert Step(bool(reply[0]), *reply[1:]) == expected
