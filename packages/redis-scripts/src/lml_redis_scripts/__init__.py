"""Redis Lua scripts: EVALSHA, loaded again when missing, pipelined per event-loop turn."""

from lml_redis_scripts.lua_script import LuaScript

__all__ = ["LuaScript"]
