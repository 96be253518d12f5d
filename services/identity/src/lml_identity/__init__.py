"""Organisations, users, API clients, credentials."""
