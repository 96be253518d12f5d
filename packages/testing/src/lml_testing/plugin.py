"""Pytest fixtures shared by every workspace member (registered as the ``lml`` plugin).

Servers are found in this order: an ``LML_TEST_*_URL`` variable, the local default
server when it answers, then an embedded server started for the run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import redis

LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A Redis server for this run."""
    return os.environ.get("LML_TEST_REDIS_URL", LOCAL_REDIS_URL)


@pytest.fixture
def redis_key_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix no other test or run uses; its keys are deleted afterwards."""
    prefix = f"lml-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
