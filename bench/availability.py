"""The availability snapshot of a large event, and what a page reload costs.

Makes a fresh database with one event of ``--seats`` seats (80,000: a stadium), starts the
API as production runs it (``lml api``, ``--workers`` processes) on real PostgreSQL and
Redis and a MongoDB-wire server, and a bare Litestar app (one GET route answering a small
JSON body; uvicorn, the same number of processes). Reports the snapshot's server time and
size, plain and gzip; then ``--clients`` keep-alive clients revalidate the snapshot with
its current ``ETag`` (each answer a 304) for ``--seconds``, and the same clients call the
bare route for as long: revalidations per second, and their ratio to the bare route's
requests per second.

    uv run python bench/availability.py [--seats 80000] [--clients 32] [--seconds 8]
                                        [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import time
from contextlib import ExitStack
from datetime import UTC, datetime

import httpx
from holds import (
    HOST,
    SCOPES,
    Connection,
    api_environment,
    bench_database,
    parse_and_run,
    percentile,
    seed_event,
    server_process,
    uvicorn_command,
)
from litestar import Litestar, get

from lml_api.tokens import build_tokens
from lml_config import load_settings
from lml_devstack import free_port, secantus_server

SNAPSHOT_SAMPLES = 5


@get("/bare")
async def bare_route() -> dict[str, str]:
    return {"status": "ok"}


# Served by uvicorn's workers as "availability:bare_app" from this directory.
bare_app = Litestar([bare_route], openapi_config=None, logging_config=None, debug=False)


async def loop(
    port: int, authorization: str, path: str, extra: str, seconds: float, expected: int
) -> list[float]:
    connection = Connection(port, authorization)
    await connection.open()
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            status, _ = await connection.send("GET", path, extra=extra)
            if status != expected:
                raise RuntimeError(f"GET {path} answered {status}, not {expected}")
            latencies.append((time.perf_counter() - started) * 1000)
    finally:
        await connection.close()
    return latencies


async def rate(
    port: int, authorization: str, path: str, extra: str, args: argparse.Namespace, expected: int
) -> tuple[float, list[float]]:
    runs = await asyncio.gather(
        *(
            loop(port, authorization, path, extra, args.seconds, expected)
            for _ in range(args.clients)
        )
    )
    latencies = [ms for run in runs for ms in run]
    return len(latencies) / args.seconds, latencies


async def run(args: argparse.Namespace) -> int:
    async with bench_database(args) as (database, prefix):
        tenant, event_id, _ = await seed_event(database.admin_url, args.seats)
        settings = load_settings({})
        token = build_tokens(settings).issuer.issue("usr_bench", tenant, SCOPES).access_token
        api_port, bare_port = free_port(), free_port()
        with ExitStack() as stack:
            mongo_url = stack.enter_context(secantus_server(None))
            env = api_environment(
                args, database, prefix, mongo_url, api_port, api_workers=str(args.workers)
            )
            stack.enter_context(
                server_process([sys.executable, "-m", "lml_cli", "api"], api_port, env)
            )
            bare = uvicorn_command(
                ["availability:bare_app", "--app-dir", "bench"], bare_port, args.workers
            )
            stack.enter_context(server_process(bare, bare_port, env))
            path = f"/v1/events/{event_id}/availability"
            headers = {"Authorization": f"Bearer {token}"}
            async with httpx.AsyncClient(base_url=f"http://{HOST}:{api_port}", timeout=60) as api:
                plain_ms, gzip_ms, plain, zipped, tag = [], [], b"", b"", ""
                for _ in range(SNAPSHOT_SAMPLES):
                    started = time.perf_counter()
                    answer = await api.get(path, headers={**headers, "Accept-Encoding": "identity"})
                    plain_ms.append((time.perf_counter() - started) * 1000)
                    plain = answer.content
                    started = time.perf_counter()
                    answer = await api.get(path, headers={**headers, "Accept-Encoding": "gzip"})
                    gzip_ms.append((time.perf_counter() - started) * 1000)
                    zipped, tag = answer.read(), answer.headers["etag"]
                    zipped_size = int(answer.headers.get("content-length", len(zipped)))
            authorization = f"Authorization: Bearer {token}\r\n"
            revalidate = f"If-None-Match: {tag}\r\nAccept-Encoding: gzip\r\n"
            await rate(api_port, authorization, path, revalidate, args, 304)  # warm-up
            reval_rate, reval_ms = await rate(api_port, authorization, path, revalidate, args, 304)
            await rate(bare_port, "", "/bare", "", args, 200)
            bare_rate, bare_ms = await rate(bare_port, "", "/bare", "", args, 200)
        print(
            f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
            f"{os.cpu_count()} CPUs, {args.seats} seats, {args.workers} server processes, "
            f"{args.clients} clients, {args.seconds:g} s each\n"
        )
        print(
            f"snapshot: {len(plain):,} bytes plain, {zipped_size:,} gzip; server time p50 "
            f"{percentile(plain_ms, 0.5):.0f} ms plain, {percentile(gzip_ms, 0.5):.0f} ms gzip"
        )
        print("\n| route | requests/s | p50 ms | p99 ms |\n|---|---:|---:|---:|")
        for name, requests, latencies in (
            ("GET availability, If-None-Match (304)", reval_rate, reval_ms),
            ("bare Litestar GET", bare_rate, bare_ms),
        ):
            print(
                f"| {name} | {requests:.0f} | {percentile(latencies, 0.5):.1f} "
                f"| {percentile(latencies, 0.99):.1f} |"
            )
        print(f"\n304 revalidations/s / bare requests/s = {reval_rate / bare_rate:.2f}")
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seats", type=int, default=80_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--workers", type=int, default=2)
    return parse_and_run(parser, run)


if __name__ == "__main__":
    sys.exit(main())
