"""Hold tokens are stored only as digests, compared in constant time.

A use case turns the token it is given into its digest once, and hands only that to
Redis and PostgreSQL alike: the raw token exists in the client's hands and in the
response that created the hold, nowhere else.
"""

from __future__ import annotations

import hashlib
import hmac


def token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def digests_match(presented: bytes, stored: bytes) -> bool:
    return hmac.compare_digest(presented, stored)
