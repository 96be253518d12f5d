"""HMAC keys by id: one signs, all verify, so keys rotate without downtime.

Rotation: add the new key verify-only, deploy; make it the signing key, deploy;
once every token signed by the old key has expired, remove the old key, deploy.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from joserfc.jwk import OctKey

ALGORITHM = "HS256"

# RFC 7518 section 3.2: an HS256 key must be at least as long as the hash output.
MIN_SECRET_BYTES = 32

# The kid travels in every token header, and joserfc refuses headers over 512 bytes.
MAX_KID_LENGTH = 64

_KID = re.compile(r"[A-Za-z0-9._~-]+")
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")
_SPEC_FORMAT = "'kid:base64url-secret[,kid:base64url-secret...]'"


class KeyConfigError(ValueError):
    """A key or key ring is unusable. The message names the fault and never contains a secret."""


@dataclass(frozen=True, slots=True)
class SigningKey:
    kid: str
    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.kid) > MAX_KID_LENGTH or not _KID.fullmatch(self.kid):
            raise KeyConfigError(
                f"kid {self.kid!r} must be 1 to {MAX_KID_LENGTH} characters of "
                "letters, digits, '.', '_', '~' or '-'"
            )
        if len(self.secret) < MIN_SECRET_BYTES:
            raise KeyConfigError(
                f"the secret for kid {self.kid!r} is {len(self.secret)} bytes; "
                f"{ALGORITHM} needs at least {MIN_SECRET_BYTES}"
            )

    def jwk(self) -> OctKey:
        return OctKey.import_key(self.secret)


class KeyRing:
    """Every key accepted for verification, and the one used for signing."""

    def __init__(self, keys: Iterable[SigningKey], signing_kid: str) -> None:
        by_kid: dict[str, SigningKey] = {}
        for key in keys:
            if key.kid in by_kid:
                raise KeyConfigError(f"kid {key.kid!r} appears more than once")
            by_kid[key.kid] = key
        if not by_kid:
            raise KeyConfigError("a key ring needs at least one key")
        if signing_kid not in by_kid:
            raise KeyConfigError(
                f"signing kid {signing_kid!r} is not one of the keys ({', '.join(sorted(by_kid))})"
            )
        self._by_kid = by_kid
        self._signing_kid = signing_kid

    @classmethod
    def from_config(cls, spec: str, signing_kid: str) -> KeyRing:
        """Parse ``kid1:base64url-secret,kid2:base64url-secret`` (as in ``LML_JWT_KEYS``)."""
        if not spec.strip():
            raise KeyConfigError(f"the key list is empty; expected {_SPEC_FORMAT}")
        keys = [
            _parse_entry(position, entry) for position, entry in enumerate(spec.split(","), start=1)
        ]
        return cls(keys, signing_kid.strip())

    @property
    def signing_key(self) -> SigningKey:
        return self._by_kid[self._signing_kid]

    @property
    def kids(self) -> frozenset[str]:
        return frozenset(self._by_kid)

    def find(self, kid: str) -> SigningKey | None:
        return self._by_kid.get(kid)

    def __iter__(self) -> Iterator[SigningKey]:
        return iter(self._by_kid.values())

    def __repr__(self) -> str:
        return f"KeyRing(kids={sorted(self._by_kid)!r}, signing_kid={self._signing_kid!r})"


def _parse_entry(position: int, entry: str) -> SigningKey:
    # An entry without ':' may be a bare secret, so errors cite its position, never its text.
    kid, separator, encoded = (part.strip() for part in entry.partition(":"))
    if not separator or not kid:
        raise KeyConfigError(f"entry {position} of the key list is not 'kid:base64url-secret'")
    return SigningKey(kid, _decode_secret(kid, encoded))


def _decode_secret(kid: str, encoded: str) -> bytes:
    problem = f"the secret for kid {kid!r} is not base64url (alphabet A-Z a-z 0-9 - _)"
    if not _BASE64URL.fullmatch(encoded):
        raise KeyConfigError(problem)
    try:
        return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except binascii.Error:
        raise KeyConfigError(problem) from None
