"""Settings for tests: small pools, short waits, no retries."""

from __future__ import annotations

from typing import Any

from lml_config import Settings

TEST_DEFAULTS: dict[str, Any] = {
    "env": "test",
    "db_pool_min_size": 1,
    "db_pool_max_size": 4,
    "startup_attempts": 1,
    "startup_backoff_seconds": 0.0,
    "dependency_timeout_seconds": 2.0,
}


def settings_for_tests(**overrides: Any) -> Settings:
    """``Settings`` with test defaults; pass server URLs and anything else as overrides."""
    return Settings(**{**TEST_DEFAULTS, **overrides})
