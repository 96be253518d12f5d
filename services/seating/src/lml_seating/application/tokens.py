"""Hold tokens are stored only as digests, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac


def token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def token_matches(token: str, digest: bytes) -> bool:
    return hmac.compare_digest(token_digest(token), digest)
