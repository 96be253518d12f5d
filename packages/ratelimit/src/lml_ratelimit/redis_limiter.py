"""Rate limits in Redis: one key per budget, one Lua script per algorithm, server time.

Keys are ``{prefix}:rl:{algorithm}:{key}``, so API instances sharing a Redis share
every budget, and changing a route's algorithm starts it afresh rather than
misreading the other algorithm's state.
"""

from __future__ import annotations

from lml_ratelimit.algorithms import MICROS, Step
from lml_ratelimit.policy import Algorithm, Decision, Policy
from lml_redis_scripts import LuaScript, RedisClient, checked_key_prefix, redis_faults


class RedisRateLimiter:
    """The client belongs to the caller, who closes it."""

    def __init__(self, client: RedisClient, *, prefix: str) -> None:
        self._prefix = checked_key_prefix(prefix)
        self._scripts = {
            algorithm: LuaScript.load(
                client, "lml_ratelimit", "scripts/prelude.lua", f"scripts/{algorithm.value}.lua"
            )
            for algorithm in Algorithm
        }

    async def hit(self, key: str, policy: Policy, cost: int = 1) -> Decision:
        policy.check_cost(cost)
        script = self._scripts[policy.algorithm]
        with redis_faults():
            reply = await script(
                keys=[f"{self._prefix}:rl:{policy.algorithm.value}:{key}"],
                args=[policy.quota, policy.window_seconds * MICROS, cost],
            )
        allowed, remaining, reset, retry_after = (int(value) for value in reply)
        return Step(bool(allowed), remaining, reset, retry_after).decision(policy)
