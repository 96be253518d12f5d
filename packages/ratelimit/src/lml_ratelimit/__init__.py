"""Distributed rate limits in Redis."""
