"""What makes two requests "the same request" for an idempotency key.

Two bodies that differ only in key order or insignificant whitespace are the
same JSON document, so they are compared in a canonical form.
"""

from __future__ import annotations

import hashlib

import msgspec


def canonical_json(body: bytes) -> bytes:
    """The body as compact JSON with sorted object keys; a non-JSON body unchanged.

    A non-JSON body can never equal a canonical JSON one, so hashing both kinds
    the same way never confuses them.
    """
    try:
        document = msgspec.json.decode(body)
    except msgspec.DecodeError:
        return body
    return msgspec.json.encode(document, order="sorted")


def fingerprint(method: str, path: str, body: bytes) -> str:
    """SHA-256 (hex) over the method, the request path and the canonical body."""
    hasher = hashlib.sha256()
    for part in (method.encode(), path.encode(), canonical_json(body)):
        # Length-prefixing keeps the boundary between parts unambiguous.
        hasher.update(f"{len(part)}:".encode())
        hasher.update(part)
    return hasher.hexdigest()
