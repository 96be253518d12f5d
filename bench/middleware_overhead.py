"""What the rate-limit and idempotency middleware cost per request, against a real Redis.

One trivial authenticated POST route is served twice by the same app: once opted out
of both middlewares (the baseline) and once with both. uvicorn serves the app in a
subprocess; this process drives it with httpx at a fixed concurrency for a fixed
time per variant (split into rounds taken in turn), then deletes every Redis key it made.

    uv run python bench/middleware_overhead.py [--seconds 10] [--concurrency 32] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import subprocess
import sys
import time
import uuid
from contextlib import AsyncExitStack
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import httpx
import redis
import uvicorn
from litestar import Litestar, post
from redis.asyncio import Redis

from lml_api.access import requires
from lml_api.app import create_app
from lml_api.fakes import in_memory_container
from lml_api.idempotency import NOT_IDEMPOTENT
from lml_api.rate_limiting import UNLIMITED
from lml_api.tokens import build_tokens
from lml_config import Settings, load_settings
from lml_devstack import free_port
from lml_idempotency import MeteredIdempotencyStore, RedisIdempotencyStore
from lml_ratelimit import GuardedRateLimiter, RedisRateLimiter

SCOPE = "orders.write"
PLAIN = "/v1/bench/plain"
GUARDED = "/v1/bench/guarded"
# Far above what the run can spend, so every request is admitted and does the same work.
BUDGETS = "*=1000000/60s"
HOST = "127.0.0.1"
STARTUP_SECONDS = 20.0
WARMUP_SECONDS = 2.0
BODY = {"seat_ids": ["A-1-1", "A-1-2"], "buyer": {"email": "ada@example.com"}}


@post(PLAIN, opt=requires(SCOPE) | UNLIMITED | NOT_IDEMPOTENT, status_code=201)
async def plain() -> dict[str, str]:
    return {"status": "created"}


@post(GUARDED, opt=requires(SCOPE), status_code=201)
async def guarded() -> dict[str, str]:
    return {"status": "created"}


def bench_settings(redis_url: str, prefix: str) -> Settings:
    return load_settings(
        {
            "LML_REDIS_URL": redis_url,
            "LML_REDIS_KEY_PREFIX": prefix,
            "LML_RATE_LIMIT_BUDGETS": BUDGETS,
        }
    )


def build_app(settings: Settings) -> Litestar:
    """The API with in-memory identity but Redis-backed rate limits and idempotency keys."""
    client = Redis.from_url(settings.redis_url or "")
    container = replace(
        in_memory_container(settings),
        idempotency=MeteredIdempotencyStore(
            RedisIdempotencyStore(client, prefix=settings.redis_key_prefix)
        ),
        rate_limiter=GuardedRateLimiter(RedisRateLimiter(client, prefix=settings.redis_key_prefix)),
    )
    container.resources.push_async_callback(client.aclose)
    app = create_app(container)
    app.register(plain)
    app.register(guarded)
    app.on_shutdown.append(container.aclose)
    return app


def serve(redis_url: str, prefix: str, port: int) -> None:
    uvicorn.run(
        build_app(bench_settings(redis_url, prefix)),
        host=HOST,
        port=port,
        log_level="warning",
        access_log=False,
    )


@dataclass(frozen=True)
class Variant:
    name: str
    path: str
    keyed: bool


VARIANTS = (
    Variant("without the middlewares (route opted out)", PLAIN, keyed=False),
    Variant("with both, no Idempotency-Key", GUARDED, keyed=False),
    Variant("with both, a new Idempotency-Key each", GUARDED, keyed=True),
)


@dataclass(frozen=True)
class Figures:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def drive(
    clients: list[httpx.AsyncClient], variant: Variant, token: str, seconds: float
) -> Figures:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        headers = {"Authorization": f"Bearer {token}"}
        while time.perf_counter() < deadline:
            if variant.keyed:
                headers["Idempotency-Key"] = uuid.uuid4().hex
            started = time.perf_counter()
            response = await client.post(variant.path, json=BODY, headers=headers)
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 201:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(client) for client in clients))
    return Figures(len(latencies), errors, time.perf_counter() - started, latencies)


async def wait_until_serving(client: httpx.AsyncClient, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            if (await client.get("/livez")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(f"the server did not answer within {STARTUP_SECONDS} s")


async def measure(
    base_url: str,
    server: subprocess.Popen[bytes],
    token: str,
    seconds: float,
    concurrency: int,
    rounds: int,
) -> list[tuple[Variant, Figures]]:
    """Each variant's time split into rounds taken in turn, so drift hits every variant alike."""
    # A client per simulated caller: one httpx pool shared by many tasks costs more CPU
    # than the server under test, and on two cores that would hide what is measured.
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(
                httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30.0)
            )
            for _ in range(concurrency)
        ]
        await wait_until_serving(clients[0], server)
        for variant in VARIANTS:
            await drive(clients, variant, token, WARMUP_SECONDS)
        taken: dict[Variant, list[Figures]] = {variant: [] for variant in VARIANTS}
        for _ in range(rounds):
            for variant in VARIANTS:
                taken[variant].append(await drive(clients, variant, token, seconds / rounds))
        return [(variant, combined(figures)) for variant, figures in taken.items()]


def combined(rounds: list[Figures]) -> Figures:
    return Figures(
        requests=sum(figures.requests for figures in rounds),
        errors=sum(figures.errors for figures in rounds),
        seconds=sum(figures.seconds for figures in rounds),
        latencies_ms=[latency for figures in rounds for latency in figures.latencies_ms],
    )


def delete_keys(redis_url: str, prefix: str) -> int:
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        return len(keys)
    finally:
        client.close()


def table(results: list[tuple[Variant, Figures]]) -> str:
    """The figures, with the time each variant adds per request at saturation (1/rate apart)."""
    baseline = results[0][1]
    lines = [
        "| variant | requests/s | p50 ms | p99 ms | added per request | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for variant, figures in results:
        added = 1000 / figures.per_second - 1000 / baseline.per_second
        lines.append(
            f"| {variant.name} | {figures.per_second:,.0f} | {figures.percentile(0.5):.1f} "
            f"| {figures.percentile(0.99):.1f} | {added:+.2f} ms | {figures.errors} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--serve-on-port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--prefix", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_on_port is not None:
        serve(args.redis_url, args.prefix, args.serve_on_port)
        return

    prefix = f"lml-bench-{uuid.uuid4().hex[:12]}"
    port = free_port()
    token = build_tokens(load_settings({})).issuer.issue("usr_bench", "org_bench", [SCOPE])
    command = [
        sys.executable,
        __file__,
        "--redis-url",
        args.redis_url,
        "--serve-on-port",
        str(port),
        "--prefix",
        prefix,
    ]
    server = subprocess.Popen(command)
    try:
        results = asyncio.run(
            measure(
                f"http://{HOST}:{port}",
                server,
                token.access_token,
                args.seconds,
                args.concurrency,
                args.rounds,
            )
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        deleted = delete_keys(args.redis_url, prefix)
    print(
        f"{datetime.now(UTC):%Y-%m-%d}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{args.concurrency} concurrent clients, {args.seconds:g} s per variant in "
        f"{args.rounds} interleaved rounds (after {WARMUP_SECONDS:g} s warm-up each); "
        f"{deleted} Redis keys deleted"
    )
    print(table(results))


if __name__ == "__main__":
    main()
