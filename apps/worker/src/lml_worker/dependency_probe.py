"""The ``dependency_probe`` job: can the worker reach PostgreSQL, Redis and MongoDB?"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping

from lml_worker.jobs import Job
from lml_worker.metrics import DEPENDENCY_UP

log = logging.getLogger("lml.worker")

NAME = "dependency_probe"
INTERVAL_SECONDS = 10.0

Probe = Callable[[], Awaitable[object]]


def dependency_probe(
    probes: Mapping[str, Probe],
    *,
    timeout_seconds: float,
    interval_seconds: float = INTERVAL_SECONDS,
) -> Job:
    """A job that runs every probe at once and sets ``lml_dependency_up{dependency}``.

    A dependency that is down is the probe's finding, not its failure: the run succeeds.
    Changes are logged once, when they happen, not on every tick.
    """
    last_up: dict[str, bool] = {}

    async def probe_one(name: str, probe: Probe) -> None:
        try:
            async with asyncio.timeout(timeout_seconds):
                await probe()
        except Exception as error:
            if last_up.get(name, True):
                log.warning("dependency down", extra={"dependency": name, "error": repr(error)})
            last_up[name] = False
        else:
            if not last_up.get(name, True):
                log.info("dependency up again", extra={"dependency": name})
            last_up[name] = True
        DEPENDENCY_UP.labels(name).set(1 if last_up[name] else 0)

    async def run() -> None:
        await asyncio.gather(*(probe_one(name, probe) for name, probe in probes.items()))

    return Job(NAME, interval_seconds, run)
