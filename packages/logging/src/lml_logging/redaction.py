"""Masks values whose key names a secret, wherever they sit in a log record's extras."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

SECRET_KEY = re.compile(
    r"pass(word)?|secret|token|authorization|api[_-]?key|cookie|card|cvc|signature|credential",
    re.IGNORECASE,
)
BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
MASK = "[redacted]"


def redact(value: Any, key: str = "") -> Any:
    if key and SECRET_KEY.search(key):
        return MASK
    if isinstance(value, Mapping):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    if isinstance(value, str):
        return BEARER.sub(r"\1" + MASK, value)
    return value
