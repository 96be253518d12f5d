"""Finding test servers: an explicit URL, the local default server, or an embedded one."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import cast

import psycopg
import redis

LOCAL_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"
# Nothing listens on port 1.
UNREACHABLE_REDIS_URL = "redis://127.0.0.1:1/0"
PROBE_TIMEOUT_SECONDS = 2

ServerFactory = Callable[[Path | None], AbstractContextManager[str]]


def postgres_answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=PROBE_TIMEOUT_SECONDS):
            return True
    except psycopg.OperationalError:
        return False


def redis_answers(url: str) -> bool:
    client = redis.Redis.from_url(
        url,
        socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
        socket_timeout=PROBE_TIMEOUT_SECONDS,
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def devstack_server(name: str) -> ServerFactory:
    """A server factory from ``lml_devstack``, imported only when an embedded server is needed.

    Each yields the URL of a running server and stops it on exit.
    """
    devstack = importlib.import_module("lml_devstack")
    return cast(ServerFactory, getattr(devstack, name))
