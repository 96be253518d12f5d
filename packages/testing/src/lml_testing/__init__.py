"""Pytest fixtures: fresh databases, Redis key prefixes, a MongoDB-wire server."""
