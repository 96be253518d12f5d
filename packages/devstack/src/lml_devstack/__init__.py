"""Embedded PostgreSQL, Redis and SecantusDB for development and tests."""
