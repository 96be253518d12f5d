"""Rules both counting algorithms keep, whatever the traffic (integer microseconds)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

from hypothesis import given
from hypothesis import strategies as st

from lml_ratelimit.algorithms import Step, sliding_window, token_bucket

Algorithm: TypeAlias = Callable[[Any, int, int, int, int], tuple[Any, Step]]
MICROS = 1_000_000
START = 1_700_000_000 * MICROS

algorithms = st.sampled_from([sliding_window, token_bucket])
quotas = st.integers(min_value=1, max_value=12)
windows = st.sampled_from([1, 2, 60]).map(lambda seconds: seconds * MICROS)
# Gaps between requests, from bursts to idle spells longer than two windows.
traffic = st.lists(st.integers(min_value=0, max_value=3 * 60 * MICROS), max_size=40)


def replay(algorithm: Algorithm, quota: int, window: int, gaps: list[int]) -> tuple[Any, int]:
    state, now = None, START
    for gap in gaps:
        now += gap
        state, _ = algorithm(state, now, quota, window, 1)
    return state, now


@given(algorithm=algorithms, quota=quotas, window=windows, gaps=traffic)
def test_remaining_is_exactly_how_many_more_hits_are_admitted_at_that_instant(
    algorithm: Algorithm, quota: int, window: int, gaps: list[int]
) -> None:
    state, now = replay(algorithm, quota, window, gaps)
    state, step = algorithm(state, now, quota, window, 1)

    admitted = 0
    while True:
        state, following = algorithm(state, now, quota, window, 1)
        if not following.allowed:
            break
        admitted += 1

    assert admitted == step.remaining
    assert 0 <= step.remaining <= quota


@given(algorithm=algorithms, quota=quotas, window=windows, gaps=traffic)
def test_a_denied_hit_is_admitted_at_its_retry_delay_and_not_a_microsecond_before(
    algorithm: Algorithm, quota: int, window: int, gaps: list[int]
) -> None:
    state, now = replay(algorithm, quota, window, [*gaps, *[0] * quota])
    _, denied = algorithm(state, now, quota, window, 1)

    assert not denied.allowed
    assert algorithm(state, now + denied.retry_after_micros, quota, window, 1)[1].allowed
    assert not algorithm(state, now + denied.retry_after_micros - 1, quota, window, 1)[1].allowed


@given(algorithm=algorithms, quota=quotas, window=windows, gaps=traffic)
def test_after_the_reset_delay_the_whole_quota_is_back(
    algorithm: Algorithm, quota: int, window: int, gaps: list[int]
) -> None:
    state, now = replay(algorithm, quota, window, gaps)
    state, step = algorithm(state, now, quota, window, 1)

    _, later = algorithm(state, now + step.reset_micros, quota, window, 1)

    assert later.remaining == quota - 1


@given(algorithm=algorithms, quota=quotas, window=windows, gaps=traffic)
def test_a_denied_hit_changes_nothing(
    algorithm: Algorithm, quota: int, window: int, gaps: list[int]
) -> None:
    state, now = replay(algorithm, quota, window, [*gaps, *[0] * quota])

    after, denied = algorithm(state, now, quota, window, 1)

    assert not denied.allowed
    assert after == state


@given(quota=quotas, window=windows, gaps=traffic)
def test_the_sliding_window_never_admits_more_than_the_quota_within_one_fixed_window(
    quota: int, window: int, gaps: list[int]
) -> None:
    state, now = None, START
    admitted: dict[int, int] = {}
    for gap in gaps:
        now += gap
        state, step = sliding_window(state, now, quota, window, 1)
        if step.allowed:
            admitted[now // window] = admitted.get(now // window, 0) + 1

    assert all(count <= quota for count in admitted.values())


@given(quota=quotas, window=windows, gaps=traffic)
def test_the_token_bucket_never_admits_more_than_a_burst_plus_the_refill(
    quota: int, window: int, gaps: list[int]
) -> None:
    state, now = None, START
    admitted_at: list[int] = []
    for gap in gaps:
        now += gap
        state, step = token_bucket(state, now, quota, window, 1)
        if step.allowed:
            admitted_at.append(now)

    interval = -(-window // quota)
    for first, start in enumerate(admitted_at):
        inside = [at for at in admitted_at[first:] if at < start + window]
        assert len(inside) <= quota + window // interval


def test_a_fresh_sliding_window_counts_down_and_resets_at_the_end_of_the_next_window() -> None:
    _, step = sliding_window(None, START + MICROS // 4, 3, MICROS, 1)

    assert step == Step(
        allowed=True, remaining=2, reset_micros=MICROS * 7 // 4, retry_after_micros=0
    )


def test_a_fresh_token_bucket_refills_one_token_per_window_over_quota() -> None:
    _, step = token_bucket(None, START, 4, MICROS, 1)

    assert step == Step(allowed=True, remaining=3, reset_micros=MICROS // 4, retry_after_micros=0)
