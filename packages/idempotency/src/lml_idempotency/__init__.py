"""Idempotency-Key store and middleware."""
