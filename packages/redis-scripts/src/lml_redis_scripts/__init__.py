"""Redis Lua scripts: EVALSHA, loaded again when missing, pipelined per event-loop turn,
on a client that never sends a command again after it may have run."""

from lml_redis_scripts.client import redis_client
from lml_redis_scripts.lua_script import LuaScript

__all__ = ["LuaScript", "redis_client"]
