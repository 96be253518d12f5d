"""Checking a password or client secret without telling, by time, whether its owner exists."""

from __future__ import annotations

from lml_identity.application.ports import PasswordHasher


async def verify_secret(hasher: PasswordHasher, stored_hash: str | None, secret: str) -> bool:
    """Whether ``secret`` matches ``stored_hash``.

    With no stored hash (an unknown user or client) the answer is False after the same
    work, one verification against the dummy hash, so an unknown principal and a wrong
    secret take as long.
    """
    if stored_hash is None:
        await hasher.verify(hasher.dummy_hash, secret)
        return False
    return await hasher.verify(stored_hash, secret)
