"""Holds per second on a three-master Redis Cluster as a ratio of holds on one Redis, in
the same run.

Seeds ``--events`` events of ``--seats`` seats whose hash tags fall on different masters
of a cluster this bench starts from Debian's ``redis-server`` (``lml_testing.redis_cluster``,
ports of its own). Then, twice with the same database, clients and load: ``lml api`` on
one Redis (``--redis``), then ``lml api`` with ``LML_REDIS_CLUSTER=true`` on the cluster.
``--clients`` buyers, split evenly over the events, hold 1 to 4 seats they last saw
available for ``--seconds`` (as ``bench/holds.py`` does, holds of ``--ttl`` seconds that
lapse by themselves). Each run is audited as ``bench/holds.py`` audits it: no seat held
twice, PostgreSQL and Redis agreeing on every live hold.

Both Redis setups share the machine with the API and PostgreSQL: on two cores, the
cluster's three servers compete for the same CPU the single server has, which is what a
small deployment would see.

    uv run python bench/cluster.py [--clients 64] [--seconds 10] [--workers 2] [--events 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import redis
from holds import (
    WARMUP_SECONDS,
    Tally,
    api_environment,
    audit_store,
    bench_database,
    certain_overlaps,
    drive,
    parse_and_run,
    percentile,
    seed_event,
    server_process,
)

from lml_api.tokens import build_tokens
from lml_config import load_settings
from lml_devstack import free_port, secantus_server
from lml_testing.databases import TemporaryDatabase
from lml_testing.redis_cluster import RedisClusterProcesses, redis_cluster

SCOPES = ["inventory.holds:write", "inventory.read"]


def events_on_masters(cluster: RedisClusterProcesses, count: int) -> list[str]:
    """``count`` event ids whose hash tags spread over the masters, round robin."""
    client = redis.RedisCluster.from_url(cluster.url)
    try:
        by_port: dict[int, list[str]] = {node.port: [] for node in cluster.nodes}
        while sum(len(ids) for ids in by_port.values()) < count:
            event_id = f"evt_bench_{uuid.uuid4().hex[:8]}"
            node = client.get_node_from_key(f"{{{event_id}}}")
            assert node is not None
            fewest = min(len(ids) for ids in by_port.values())
            if len(by_port[int(node.port)]) == fewest:
                by_port[int(node.port)].append(event_id)
        return [event_id for ids in by_port.values() for event_id in ids]
    finally:
        client.close()


@contextmanager
def bench_cluster() -> Iterator[RedisClusterProcesses]:
    with (
        tempfile.TemporaryDirectory(prefix="lml-bench-cluster-") as directory,
        redis_cluster(Path(directory)) as cluster,
    ):
        yield cluster


async def drive_events(
    port: int, sale: list[tuple[str, str, list[str]]], seconds: float, args: argparse.Namespace
) -> list[Tally]:
    """The clients split over the events, each event's buyers with their tenant's token;
    a tally per event."""
    each = argparse.Namespace(**{**vars(args), "clients": max(1, args.clients // len(sale))})
    return await asyncio.gather(
        *(
            drive(port, authorization, seconds, event_id=event_id, seats=seats, options=each)
            for authorization, event_id, seats in sale
        )
    )


def merged(tallies: list[Tally]) -> Tally:
    merged = Tally(seconds=max(tally.seconds for tally in tallies))
    for tally in tallies:
        merged.latencies_ms += tally.latencies_ms
        merged.grants += tally.grants
        for status, n in tally.statuses.items():
            merged.statuses[status] = merged.statuses.get(status, 0) + n
    return merged


async def measure(
    args: argparse.Namespace,
    database: TemporaryDatabase,
    sale: list[tuple[str, str, list[str]]],
    *,
    redis_url: str,
    prefix: str,
    cluster: bool,
) -> tuple[Tally, list[str]]:
    """One run of the API on ``redis_url``, warmed up, then audited."""
    port = free_port()
    with ExitStack() as stack:
        mongo_url = stack.enter_context(secantus_server(None))
        env = api_environment(
            args,
            database,
            prefix,
            mongo_url,
            port,
            redis_url=redis_url,
            redis_cluster=str(cluster).lower(),
            db_pool_max_size=str(args.pool),
            hold_min_ttl_seconds="1",
            api_workers=str(args.workers),
        )
        stack.enter_context(server_process([sys.executable, "-m", "lml_cli", "api"], port, env))
        warmup = await drive_events(port, sale, WARMUP_SECONDS, args)
        tallies = await drive_events(port, sale, args.seconds, args)
    problems = []
    for (_, event_id, _), first, then in zip(sale, warmup, tallies, strict=True):
        grants = first.grants + then.grants
        if overlaps := certain_overlaps(grants):
            problems.append(f"{event_id}: {overlaps} seats held twice at once")
        problems += await audit_store(
            database.admin_url, redis_url, prefix, event_id, grants, cluster=cluster
        )
    return merged(tallies), problems


def row(name: str, tally: Tally) -> str:
    rate = tally.statuses.get(201, 0) / tally.seconds
    posts = len(tally.latencies_ms) / tally.seconds
    quantiles = " | ".join(f"{percentile(tally.latencies_ms, q):.1f}" for q in (0.5, 0.95, 0.99))
    other = {status: n for status, n in tally.statuses.items() if status not in (201, 409)}
    return f"| {name} | {posts:.0f} | {rate:.0f} | {quantiles} | {other or '-'} |"


async def run(args: argparse.Namespace) -> int:
    with bench_cluster() as cluster:
        async with bench_database(args) as (database, prefix):
            settings = build_tokens(load_settings({}))
            sale = []
            for event_id in events_on_masters(cluster, args.events):
                tenant, _, seats = await seed_event(database.admin_url, args.seats, event_id)
                token = settings.issuer.issue("usr_bench", tenant, SCOPES).access_token
                sale.append((f"Authorization: Bearer {token}\r\n", event_id, seats))
            single, single_problems = await measure(
                args, database, sale, redis_url=args.redis, prefix=prefix, cluster=False
            )
            # The same seats, free again: the first run's holds lapse before the second.
            await asyncio.sleep(args.ttl + 1)
            on_cluster, cluster_problems = await measure(
                args, database, sale, redis_url=cluster.url, prefix=prefix, cluster=True
            )
    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {args.clients} clients over {args.events} events "
        f"({args.seats} seats each), {args.seconds:g} s each, {args.workers} API processes, "
        f"holds of {args.ttl} s\n"
    )
    print("| Redis | requests/s | holds/s | p50 ms | p95 ms | p99 ms | other |")
    print("|---|---:|---:|---:|---:|---:|---|")
    print(row("one server", single))
    print(row(f"cluster of {len(cluster.nodes)} masters", on_cluster))
    ratio = (on_cluster.statuses.get(201, 0) / on_cluster.seconds) / (
        single.statuses.get(201, 0) / single.seconds
    )
    print(f"\nholds/s on the cluster / holds/s on one server = {ratio:.2f}")
    problems = [f"one server: {p}" for p in single_problems] + [
        f"cluster: {p}" for p in cluster_problems
    ]
    print(f"audit: seats double-held or stores disagreeing: {problems or 'none'}")
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--events", type=int, default=3, help="spread over the masters")
    parser.add_argument("--seats", type=int, default=5_000, help="per event")
    parser.add_argument("--ttl", type=int, default=2, help="hold ttl_seconds; holds lapse by it")
    parser.add_argument("--workers", type=int, default=2, help="API processes")
    parser.add_argument("--pool", type=int, default=10, help="PostgreSQL pool size per worker")
    parser.set_defaults(live=0, blind=False)
    return parse_and_run(parser, run)


if __name__ == "__main__":
    sys.exit(main())
