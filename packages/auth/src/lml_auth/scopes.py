"""The OAuth scopes of the API, and their space-separated wire form (RFC 6749 section 3.3)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum


class Scope(StrEnum):
    IDENTITY_ME_READ = "identity.me.read"
    VENUES_READ = "venues.read"
    VENUES_WRITE = "venues.write"
    EVENTS_WRITE = "events.write"
    INVENTORY_READ = "inventory.read"
    INVENTORY_HOLDS_WRITE = "inventory.holds:write"
    ORDERS_READ = "orders.read"
    ORDERS_WRITE = "orders.write"


ALL_SCOPES: frozenset[str] = frozenset(scope.value for scope in Scope)

# RFC 6749 scope-token: %x21 / %x23-5B / %x5D-7E, i.e. printable ASCII but space, '"' and '\'.
_SCOPE_TOKEN = re.compile(r"[\x21\x23-\x5b\x5d-\x7e]+")


def parse_scopes(text: str) -> frozenset[str]:
    """Split a scope string; unknown names are kept, so callers check them against ALL_SCOPES.

    Raises ValueError for a name that is not an RFC 6749 scope-token.
    """
    return _checked(text.split())


def format_scopes(scopes: Iterable[str]) -> str:
    """Join scopes sorted, so equal sets always produce the same string.

    Raises ValueError for a name that is not an RFC 6749 scope-token: a space inside
    one would silently turn it into two scopes once parsed back.
    """
    return " ".join(sorted(_checked(str(scope) for scope in scopes)))


def _checked(names: Iterable[str]) -> frozenset[str]:
    unique = frozenset(names)
    invalid = sorted(name for name in unique if not _SCOPE_TOKEN.fullmatch(name))
    if invalid:
        raise ValueError(f"not valid scope names: {invalid!r}")
    return unique
