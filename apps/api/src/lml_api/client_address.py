"""The client address a public or unauthenticated request is budgeted by."""

from __future__ import annotations

from litestar.types import HTTPScope

FORWARDED_FOR = b"x-forwarded-for"
UNKNOWN_CLIENT = "unknown"


def client_address(scope: HTTPScope, trust_forwarded_for: bool) -> str:
    """The address whose budget a public request spends.

    Behind a trusted proxy it is the last ``X-Forwarded-For`` entry, the one the
    proxy appended: every entry left of it came from the client, who can forge them.
    """
    if trust_forwarded_for:
        forwarded = [value for name, value in scope["headers"] if name == FORWARDED_FOR]
        if forwarded:
            nearest = forwarded[-1].decode("latin-1").rsplit(",", 1)[-1].strip()
            if nearest:
                return nearest
    client = scope.get("client")
    return client[0] if client else UNKNOWN_CLIENT
