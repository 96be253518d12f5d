"""A begin whose reply a frozen Redis lost: the key it may have taken is freed once Redis
answers again, so the client's retry runs instead of waiting out the whole lease."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis.asyncio

from lml_idempotency import Began, IdempotencyScope, InFlight, RedisIdempotencyStore
from lml_result import DependencyUnavailable
from lml_testing.polling import eventually
from lml_testing.redis_process import redis_process, redis_server_binary

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(redis_server_binary() is None, reason="needs Debian's redis-server"),
]

SCOPE = IdempotencyScope("org_1", "usr_1", "POST", "/v1/holds", "k-stalled")
WARM_UP = IdempotencyScope("org_1", "usr_1", "POST", "/v1/holds", "k-warm-up")
FINGERPRINT = "f" * 64
LEASE_SECONDS = 30.0


async def test_given_redis_frozen_during_a_begin_when_it_thaws_then_a_retry_begins(
    tmp_path: Path,
) -> None:
    with redis_process(tmp_path) as server:
        client = redis.asyncio.Redis.from_url(server.url, socket_timeout=0.5)
        store = RedisIdempotencyStore(client, prefix="lml-test")
        try:
            # Loads the script, so the call that stalls is the begin itself.
            await store.begin(WARM_UP, FINGERPRINT, LEASE_SECONDS)
            server.freeze()
            try:
                with pytest.raises(DependencyUnavailable):
                    await store.begin(SCOPE, FINGERPRINT, LEASE_SECONDS)
            finally:
                server.thaw()

            async def retry_begins() -> bool:
                outcome = await store.begin(SCOPE, FINGERPRINT, LEASE_SECONDS)
                assert isinstance(outcome, Began | InFlight)
                return isinstance(outcome, Began)

            await eventually(retry_begins, deadline_seconds=5, every_seconds=0.1)
        finally:
            await client.aclose()
