import asyncio
import uuid

import pytest

from lml_metrics import REGISTRY
from lml_testing.polling import eventually
from lml_worker import Job, run_jobs, run_once
from lml_worker.jobs import draining


def unique(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}"


def runs(job: str, outcome: str) -> float:
    return (
        REGISTRY.get_sample_value("lml_worker_job_runs_total", {"job": job, "outcome": outcome})
        or 0.0
    )


async def test_given_a_job_when_the_runner_runs_then_it_runs_again_after_each_interval() -> None:
    count = 0

    async def tick() -> None:
        nonlocal count
        count += 1

    stop = asyncio.Event()
    runner = asyncio.create_task(run_jobs([Job(unique("tick"), 0.01, tick)], stop))

    await eventually(lambda: count >= 3)
    stop.set()
    await runner


async def test_given_a_failing_job_when_running_then_other_jobs_go_on_and_it_is_retried() -> None:
    healthy_runs = 0
    failed_attempts = 0

    async def healthy() -> None:
        nonlocal healthy_runs
        healthy_runs += 1

    async def broken() -> None:
        nonlocal failed_attempts
        failed_attempts += 1
        raise RuntimeError("the job's own bug")

    stop = asyncio.Event()
    jobs = [Job(unique("healthy"), 0.01, healthy), Job(unique("broken"), 0.01, broken)]
    runner = asyncio.create_task(run_jobs(jobs, stop))

    await eventually(lambda: healthy_runs >= 3 and failed_attempts >= 3)
    assert not runner.done()
    stop.set()
    await runner


async def test_when_stop_is_requested_during_a_run_then_the_runner_waits_for_that_run() -> None:
    started = asyncio.Event()
    release = asyncio.Event()
    finished = False

    async def long_job() -> None:
        nonlocal finished
        started.set()
        await release.wait()
        finished = True

    stop = asyncio.Event()
    runner = asyncio.create_task(run_jobs([Job(unique("long"), 60, long_job)], stop))
    await started.wait()

    stop.set()
    await asyncio.sleep(0)  # let the runner see the stop request
    assert not runner.done()
    release.set()
    await runner

    assert finished


async def test_when_stop_is_requested_between_runs_then_the_runner_returns_at_once() -> None:
    ran = asyncio.Event()

    async def quick() -> None:
        ran.set()

    stop = asyncio.Event()
    runner = asyncio.create_task(run_jobs([Job(unique("quick"), 3600, quick)], stop))
    await ran.wait()

    stop.set()

    await asyncio.wait_for(runner, timeout=5)


async def test_when_a_job_succeeds_then_a_success_and_its_duration_are_recorded() -> None:
    name = unique("ok")

    async def succeed() -> None:
        return None

    assert await run_once(Job(name, 1, succeed))

    assert runs(name, "success") == 1
    assert REGISTRY.get_sample_value("lml_worker_job_duration_seconds_count", {"job": name}) == 1


async def test_when_a_job_raises_then_a_failure_is_recorded_and_nothing_propagates() -> None:
    name = unique("fails")

    async def fail() -> None:
        raise RuntimeError("boom")

    assert not await run_once(Job(name, 1, fail))

    assert runs(name, "failure") == 1
    assert runs(name, "success") == 0


async def test_given_two_jobs_with_one_name_when_run_then_the_runner_refuses() -> None:
    async def nothing() -> None:
        return None

    with pytest.raises(ValueError, match="unique"):
        await run_jobs([Job("twin", 1, nothing), Job("twin", 1, nothing)], asyncio.Event())


async def test_given_an_endless_backlog_when_asked_to_stop_then_the_drain_ends_with_its_batch() -> (
    None
):
    """Given a draining job whose every batch comes back full, when the worker is asked to
    stop, then the batch in hand finishes and no other starts."""
    batches = 0
    started = asyncio.Event()

    async def full_batch() -> int:
        nonlocal batches
        batches += 1
        started.set()
        await asyncio.sleep(0.01)
        return 10

    stop = asyncio.Event()
    runner = asyncio.create_task(run_jobs([draining(unique("drain"), 3600, full_batch, 10)], stop))
    await started.wait()
    stop.set()
    await asyncio.wait_for(runner, timeout=5)

    assert batches == 1
