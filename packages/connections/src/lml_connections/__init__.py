"""The open clients of PostgreSQL, Redis and MongoDB that a process holds, and their probes.

The API and the worker open them differently (the API waits for each server at start-up,
the worker starts without waiting), so each app opens them; what they open is this.
"""

from lml_connections.breakers import installed_breakers
from lml_connections.connections import Connections, MongoClient, Probe, mongo_client, probes

__all__ = ["Connections", "MongoClient", "Probe", "installed_breakers", "mongo_client", "probes"]
