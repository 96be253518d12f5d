"""Redis for every LML adapter: Lua scripts by EVALSHA, loaded again when missing, pipelined
per event-loop turn, on a client that never sends a command again after it may have run;
the key-prefix rule; and driver faults translated to ``DependencyUnavailable("redis")``."""

from lml_redis_scripts.client import RedisClient, redis_client
from lml_redis_scripts.faults import redis_faults
from lml_redis_scripts.key_prefix import checked_key_prefix
from lml_redis_scripts.lua_script import LuaScript

__all__ = ["LuaScript", "RedisClient", "checked_key_prefix", "redis_client", "redis_faults"]
