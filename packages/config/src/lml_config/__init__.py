"""Typed, validated settings read from ``LML_*`` environment variables."""

from lml_config.settings import (
    ConfigError,
    Settings,
    listens_beyond_loopback,
    load_settings,
    published_secrets,
    unknown_variables,
)

__all__ = [
    "ConfigError",
    "Settings",
    "listens_beyond_loopback",
    "load_settings",
    "published_secrets",
    "unknown_variables",
]
