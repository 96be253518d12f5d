"""Whose budget a request spends: ``{kind:identity}:{route}:{method}``."""

from __future__ import annotations

import hashlib
import re
from typing import Literal, TypeAlias

KeyKind: TypeAlias = Literal["org", "user", "ip", "username"]

# Identities kept readable: short and free of the braces that close the hash tag
# (an IPv6 address keeps its colons). Anything else, an e-mail address included,
# is hashed so it never shows in key listings.
READABLE_IDENTITY = re.compile(r"[A-Za-z0-9_.:\-]{1,64}")
MAX_ROUTE_LENGTH = 128
HASHED_MARK = "~"


def rate_limit_key(kind: KeyKind, identity: str, route: str, method: str) -> str:
    """The budget key for one identity on one route template and method.

    ``{kind:identity}`` is a Redis Cluster hash tag, so one client's counters share
    a slot while different clients spread out; braces in a route template such as
    ``/v1/holds/{hold_id}`` then no longer pick the slot. Normalise identities
    (for instance lower-case usernames) before calling.
    """
    return f"{{{kind}:{_identity(identity)}}}:{_route(route)}:{method}"


def _identity(identity: str) -> str:
    if READABLE_IDENTITY.fullmatch(identity):
        return identity
    return _hashed(identity)


def _route(route: str) -> str:
    if len(route) <= MAX_ROUTE_LENGTH and route.isascii() and route.isprintable():
        return route
    return _hashed(route)


def _hashed(part: str) -> str:
    return HASHED_MARK + hashlib.sha256(part.encode()).hexdigest()[:32]
