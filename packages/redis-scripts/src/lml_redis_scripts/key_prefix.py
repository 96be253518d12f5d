"""The prefix every LML key in Redis starts with, so processes can share one server."""

from __future__ import annotations

import re

# Braces in the prefix would make Redis Cluster hash on the prefix alone, and put every
# key of every adapter in one slot.
KEY_PREFIX = re.compile(r"[A-Za-z0-9_.:\-]+")


def checked_key_prefix(prefix: str) -> str:
    """``prefix`` itself; ``ValueError`` when it is empty or holds anything but letters,
    digits and ``_ . : -``."""
    if not KEY_PREFIX.fullmatch(prefix):
        raise ValueError(f"key prefix {prefix!r} may only use letters, digits and _ . : -")
    return prefix
