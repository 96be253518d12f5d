"""The idempotency store in Redis: one hash per scope, every transition one Lua script.

Record ``{prefix}:idem:...``: ``fingerprint``; ``token`` while leased;
``response`` (msgpack) once completed. The key's expiry is the lease while in
flight and the replay window once completed, so a crashed request frees its key
by itself.
"""

from __future__ import annotations

import secrets

from lml_idempotency.durations import milliseconds, require_positive
from lml_idempotency.keys import IdempotencyScope, Lease
from lml_idempotency.lease import release_later
from lml_idempotency.outcomes import (
    Began,
    BeginOutcome,
    InFlight,
    Mismatch,
    Replay,
    StoredResponse,
    decode_response,
    encode_response,
)
from lml_idempotency.ports import DAY_SECONDS
from lml_redis_scripts import LuaScript, RedisClient, checked_key_prefix, redis_faults
from lml_result import DependencyUnavailable
from lml_result.breakers import OPEN_REASON


def _script(client: RedisClient, name: str) -> LuaScript:
    return LuaScript.load(client, "lml_idempotency", f"scripts/{name}")


class RedisIdempotencyStore:
    """Needs a client that returns bytes (``decode_responses=False``): replies hold binary bodies.

    The client belongs to the caller, who closes it.
    """

    def __init__(self, client: RedisClient, *, prefix: str) -> None:
        if client.get_encoder().decode_responses:
            raise ValueError("RedisIdempotencyStore needs a client with decode_responses=False")
        self._prefix = checked_key_prefix(prefix)
        self._begin = _script(client, "begin.lua")
        self._renew = _script(client, "renew.lua")
        self._complete = _script(client, "complete.lua")
        self._release = _script(client, "release.lua")

    async def begin(
        self, scope: IdempotencyScope, fingerprint: str, lease_seconds: float
    ) -> BeginOutcome:
        require_positive("lease_seconds", lease_seconds)
        token = secrets.token_hex(16)
        try:
            reply = await self._run(
                self._begin, scope, fingerprint, token, milliseconds(lease_seconds)
            )
        except DependencyUnavailable as error:
            if error.reason != OPEN_REASON:
                # A stalled Redis may run the script after its reply is lost, leaving the
                # key leased to no one: the client's retry would be told in_progress for a
                # whole lease. Only this token can release it, so trying is always safe.
                release_later(self, Lease(scope, token), lease_seconds)
            raise
        match reply:
            case [b"began"]:
                return Began(Lease(scope, token))
            case [b"in_flight"]:
                return InFlight()
            case [b"mismatch"]:
                return Mismatch()
            case [b"replay", bytes(response)]:
                return Replay(decode_response(response))
        raise RuntimeError(f"unexpected reply from the begin script: {reply!r}")

    async def renew(self, lease: Lease, lease_seconds: float) -> bool:
        require_positive("lease_seconds", lease_seconds)
        reply = await self._run(self._renew, lease.scope, lease.token, milliseconds(lease_seconds))
        return reply == 1

    async def complete(
        self, lease: Lease, response: StoredResponse, ttl_seconds: float = DAY_SECONDS
    ) -> bool:
        require_positive("ttl_seconds", ttl_seconds)
        reply = await self._run(
            self._complete,
            lease.scope,
            lease.token,
            encode_response(response),
            milliseconds(ttl_seconds),
        )
        return reply == 1

    async def release(self, lease: Lease) -> bool:
        reply = await self._run(self._release, lease.scope, lease.token)
        return reply == 1

    async def _run(
        self, script: LuaScript, scope: IdempotencyScope, *args: str | bytes | int
    ) -> object:
        with redis_faults():
            return await script(keys=[scope.storage_key(self._prefix)], args=args)
