"""What makes two requests "the same request" for an idempotency key.

Two bodies that differ only in key order or insignificant whitespace are the
same JSON document, so they are compared in a canonical form.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

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


def fingerprint(
    method: str, path: str, body: bytes, conditions: Sequence[tuple[str, str]] = ()
) -> str:
    """SHA-256 (hex) over the method, the request path, the canonical body and the
    request's conditions (``If-Match`` and the like, as (name, value) pairs).

    A condition is what a request presents to be allowed to act (a hold token sent as
    ``If-Match``): a retry that presents another one is another request, never a replay
    of the answer the first one earned.
    """
    hasher = hashlib.sha256()
    parts = [method.encode(), path.encode(), canonical_json(body)]
    parts.extend(sorted(f"{name.lower()}:{value}".encode() for name, value in conditions))
    for part in parts:
        # Length-prefixing keeps the boundary between parts unambiguous.
        hasher.update(f"{len(part)}:".encode())
        hasher.update(part)
    return hasher.hexdigest()
