"""Periodic jobs and the loop that runs them until asked to stop.

Each job runs in its own task: at once, then ``interval_seconds`` after each run ends,
so a slow run never overlaps the next one. A failing run is logged and counted, and the
job runs again on its next tick. A stop request lets the run in progress finish; a job
that drains a backlog batch by batch (``draining``) stops after the batch in hand, so a
worker asked to stop under a backlog stops within a batch, and the rest waits for the
next worker (every batch commits on its own).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass

from lml_worker.metrics import JOB_RUNS, JOB_SECONDS

log = logging.getLogger("lml.worker")

# The runner's stop request, seen by the jobs' tasks (each copies the context it starts in).
_stop: ContextVar[asyncio.Event | None] = ContextVar("lml_worker_stop", default=None)


@dataclass(frozen=True)
class Job:
    name: str
    interval_seconds: float
    run: Callable[[], Awaitable[None]]


async def run_jobs(jobs: Sequence[Job], stop: asyncio.Event) -> None:
    """Run every job periodically; return once ``stop`` is set and no run is in progress."""
    names = [job.name for job in jobs]
    if len(set(names)) != len(names):
        raise ValueError(f"job names must be unique: {names}")
    _stop.set(stop)
    async with asyncio.TaskGroup() as group:
        for job in jobs:
            group.create_task(_repeat(job, stop), name=f"lml-job-{job.name}")


def stop_requested() -> bool:
    """Whether the runner running this job was asked to stop."""
    stop = _stop.get()
    return stop is not None and stop.is_set()


def draining(
    name: str, interval_seconds: float, batch: Callable[[], Awaitable[int]], size: int
) -> Job:
    """A job whose run takes due work a batch at a time (``batch`` returns how much it
    took, at most ``size``) until a batch comes back short, so a backlog never waits a
    tick, or until the worker is asked to stop."""

    async def run() -> None:
        while await batch() >= size and not stop_requested():
            pass

    return Job(name, interval_seconds, run)


async def run_once(job: Job) -> bool:
    """One run of ``job``, timed and counted; True when it succeeded."""
    started = time.perf_counter()
    try:
        await job.run()
    except Exception:
        log.exception("job failed; it runs again on its next tick", extra={"job": job.name})
        outcome = "failure"
    else:
        outcome = "success"
    JOB_SECONDS.labels(job.name).observe(time.perf_counter() - started)
    JOB_RUNS.labels(job.name, outcome).inc()
    return outcome == "success"


async def _repeat(job: Job, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await run_once(job)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), job.interval_seconds)
