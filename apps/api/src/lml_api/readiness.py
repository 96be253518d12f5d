"""Readiness: every dependency probed at once, each with its own verdict.

``/readyz`` is public (orchestrators call it without credentials), so it answers from a
verdict at most a second old, shared by every request that asks meanwhile: a flood of
probes of the probe never becomes a flood of dependency round trips. What it says is
only which checks pass; why one failed goes to the log, for operators.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import msgspec

from lml_result import DependencyUnavailable


@dataclass(frozen=True)
class Check:
    """A named probe that returns when the dependency is usable and raises otherwise."""

    name: str
    probe: Callable[[], Awaitable[None]]


log = logging.getLogger("lml.api")


class CheckResult(msgspec.Struct, frozen=True):
    status: str


class Readiness(msgspec.Struct, frozen=True):
    status: str
    checks: dict[str, CheckResult]

    @property
    def ready(self) -> bool:
        return self.status == "ready"


UP, DOWN = CheckResult(status="up"), CheckResult(status="down")


async def _run(check: Check, within_seconds: float) -> CheckResult:
    try:
        await asyncio.wait_for(check.probe(), within_seconds)
    except TimeoutError:
        reason = f"no answer within {within_seconds:g}s"
    except DependencyUnavailable as error:
        reason = error.reason
    except Exception as error:
        reason = type(error).__name__
    else:
        return UP
    log.warning("readiness check failed", extra={"check": check.name, "reason": reason})
    return DOWN


async def assess(checks: Sequence[Check], within_seconds: float) -> Readiness:
    results = await asyncio.gather(*(_run(check, within_seconds) for check in checks))
    verdicts = {check.name: result for check, result in zip(checks, results, strict=True)}
    ready = all(result.status == "up" for result in results)
    return Readiness(status="ready" if ready else "unready", checks=verdicts)


class CachedReadiness:
    """The latest verdict, probed again once it is ``max_age_seconds`` old; requests that
    arrive while a probe runs wait for that one."""

    def __init__(
        self, checks: Sequence[Check], within_seconds: float, max_age_seconds: float = 1.0
    ) -> None:
        self._checks = checks
        self._within_seconds = within_seconds
        self._max_age_seconds = max_age_seconds
        self._latest: tuple[float, Readiness] | None = None
        self._probing: asyncio.Future[Readiness] | None = None

    async def current(self) -> Readiness:
        latest = self._latest
        if latest is not None and time.monotonic() - latest[0] < self._max_age_seconds:
            return latest[1]
        if self._probing is None:
            self._probing = asyncio.ensure_future(self._probe())
        return await asyncio.shield(self._probing)

    async def _probe(self) -> Readiness:
        try:
            readiness = await assess(self._checks, self._within_seconds)
            self._latest = (time.monotonic(), readiness)
            return readiness
        finally:
            self._probing = None
