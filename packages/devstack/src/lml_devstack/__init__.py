"""Embedded PostgreSQL, Redis and SecantusDB for development and tests.

Each context manager starts a real server as a child process, yields its URL once it
answers, and stops it when the block exits, also on an exception or Ctrl-C.
"""

from lml_devstack.postgres_server import embedded_postgres
from lml_devstack.processes import ServerFailedToStart, free_port, port_is_free
from lml_devstack.redis_server import embedded_redis
from lml_devstack.secantus_server import ExecutableNotFound, secantus_server

__all__ = [
    "ExecutableNotFound",
    "ServerFailedToStart",
    "embedded_postgres",
    "embedded_redis",
    "free_port",
    "port_is_free",
    "secantus_server",
]
