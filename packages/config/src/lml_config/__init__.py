"""Typed, validated settings read from ``LML_*`` environment variables."""

from lml_config.settings import ConfigError, Settings, load_settings, unknown_variables

__all__ = ["ConfigError", "Settings", "load_settings", "unknown_variables"]
