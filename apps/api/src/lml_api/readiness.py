"""Readiness: every dependency probed at once, each with its own verdict."""

from __future__ import annotations

import asyncio
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


class CheckResult(msgspec.Struct, frozen=True, omit_defaults=True):
    status: str
    latency_ms: float | None = None
    error: str | None = None


class Readiness(msgspec.Struct, frozen=True):
    status: str
    checks: dict[str, CheckResult]

    @property
    def ready(self) -> bool:
        return self.status == "ready"


async def _run(check: Check, within_seconds: float) -> CheckResult:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(check.probe(), within_seconds)
    except TimeoutError:
        return CheckResult(status="down", error=f"no answer within {within_seconds:g}s")
    except DependencyUnavailable as error:
        return CheckResult(status="down", error=error.reason)
    except Exception as error:
        return CheckResult(status="down", error=type(error).__name__)
    return CheckResult(status="up", latency_ms=round((time.perf_counter() - started) * 1000, 2))


async def assess(checks: Sequence[Check], within_seconds: float) -> Readiness:
    results = await asyncio.gather(*(_run(check, within_seconds) for check in checks))
    verdicts = {check.name: result for check, result in zip(checks, results, strict=True)}
    ready = all(result.status == "up" for result in results)
    return Readiness(status="ready" if ready else "unready", checks=verdicts)
