"""Batcher: concurrent calls with the same key share one run; every caller gets its own answer."""

from __future__ import annotations

import asyncio

import pytest

from lml_batching import Batcher


class Recorder:
    """A batch function that answers each item doubled and remembers every batch."""

    def __init__(self, *, delay: float = 0.0, fail_on: int | None = None) -> None:
        self.batches: list[tuple[str, list[int]]] = []
        self._delay = delay
        self._fail_on = fail_on

    async def __call__(self, key: str, items: list[int]) -> list[int]:
        self.batches.append((key, list(items)))
        await asyncio.sleep(self._delay)
        if self._fail_on in items:
            raise ConnectionError("the store went away")
        return [item * 2 for item in items]


async def test_given_calls_in_one_turn_then_one_batch_answers_each_in_order() -> None:
    run = Recorder()
    batcher = Batcher(run)

    answers = await asyncio.gather(*(batcher.submit("org_a", n) for n in range(5)))

    assert answers == [0, 2, 4, 6, 8]
    assert run.batches == [("org_a", [0, 1, 2, 3, 4])]


async def test_given_a_lone_call_when_submitted_then_it_runs_at_once_as_a_batch_of_one() -> None:
    run = Recorder()
    batcher = Batcher(run)

    assert await batcher.submit("org_a", 21) == 42
    assert run.batches == [("org_a", [21])]


async def test_given_a_batch_running_when_calls_arrive_then_they_go_together_next() -> None:
    run = Recorder(delay=0.05)
    batcher = Batcher(run)

    first = asyncio.create_task(batcher.submit("org_a", 1))
    await asyncio.sleep(0.01)
    later = [asyncio.create_task(batcher.submit("org_a", n)) for n in (2, 3, 4)]

    assert await asyncio.gather(first, *later) == [2, 4, 6, 8]
    assert run.batches == [("org_a", [1]), ("org_a", [2, 3, 4])]


async def test_given_two_keys_when_called_together_then_each_key_gets_its_own_batch() -> None:
    run = Recorder()
    batcher = Batcher(run)

    await asyncio.gather(*(batcher.submit(key, n) for key, n in [("a", 1), ("b", 2), ("a", 3)]))

    assert sorted(run.batches) == [("a", [1, 3]), ("b", [2])]


async def test_given_more_calls_than_max_size_when_submitted_then_batches_never_exceed_it() -> None:
    run = Recorder()
    batcher = Batcher(run, max_size=3)

    answers = await asyncio.gather(*(batcher.submit("k", n) for n in range(7)))

    assert answers == [n * 2 for n in range(7)]
    assert [items for _, items in run.batches] == [[0, 1, 2], [3, 4, 5], [6]]


async def test_given_a_failing_batch_then_its_callers_get_the_error_and_later_ones_run() -> None:
    run = Recorder(delay=0.02, fail_on=1)
    batcher = Batcher(run)

    failing = [asyncio.create_task(batcher.submit("k", n)) for n in (1, 2)]
    await asyncio.sleep(0.005)
    healthy = asyncio.create_task(batcher.submit("k", 3))

    for task in failing:
        with pytest.raises(ConnectionError):
            await task
    assert await healthy == 6


async def test_given_a_caller_cancelled_while_waiting_then_its_item_is_left_out() -> None:
    run = Recorder(delay=0.03)
    batcher = Batcher(run)

    first = asyncio.create_task(batcher.submit("k", 1))
    await asyncio.sleep(0.005)
    dropped = asyncio.create_task(batcher.submit("k", 2))
    kept = asyncio.create_task(batcher.submit("k", 3))
    await asyncio.sleep(0)
    dropped.cancel()

    assert await first == 2
    assert await kept == 6
    assert run.batches == [("k", [1]), ("k", [3])]


async def test_given_a_wrong_number_of_results_then_the_callers_get_an_error() -> None:
    async def short(key: str, items: list[int]) -> list[int]:
        return items[:1]

    batcher = Batcher(short)

    results = await asyncio.gather(
        batcher.submit("k", 1), batcher.submit("k", 2), return_exceptions=True
    )

    assert all(isinstance(result, RuntimeError) for result in results)


def test_given_a_max_size_below_one_when_made_then_it_is_refused() -> None:
    async def run(key: str, items: list[int]) -> list[int]:
        return items

    with pytest.raises(ValueError, match="max_size"):
        Batcher(run, max_size=0)
