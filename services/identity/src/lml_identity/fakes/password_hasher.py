"""A cheap, deterministic stand-in for Argon2 that records how often it was asked to verify."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "fake"


class FakePasswordHasher:
    """Hashes look like ``fake$<version>$<sha256>``; raise ``version`` to make old hashes stale."""

    def __init__(self, version: int = 1) -> None:
        self.version = version
        self.verify_calls = 0
        self.hash_calls = 0

    @property
    def dummy_hash(self) -> str:
        # Well formed, but no SHA-256 digest is all zeros, so no password matches it.
        return f"{PREFIX}${self.version}${'0' * 64}"

    async def hash(self, password: str) -> str:
        self.hash_calls += 1
        return self._hash_of(password, self.version)

    async def verify(self, password_hash: str, password: str) -> bool:
        self.verify_calls += 1
        version = self._version_of(password_hash)
        if version is None:
            return False
        return hmac.compare_digest(password_hash, self._hash_of(password, version))

    def needs_rehash(self, password_hash: str) -> bool:
        return self._version_of(password_hash) != self.version

    @staticmethod
    def _hash_of(password: str, version: int) -> str:
        digest = hashlib.sha256(password.encode("utf-8")).hexdigest()
        return f"{PREFIX}${version}${digest}"

    @staticmethod
    def _version_of(password_hash: str) -> int | None:
        prefix, _, rest = password_hash.partition("$")
        version, _, _ = rest.partition("$")
        if prefix != PREFIX or not version.isdigit():
            return None
        return int(version)
