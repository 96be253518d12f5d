"""The ``Idempotency-Key`` header value and the scope a key belongs to.

A client's key means something only together with who sent it and where: the
scope is organisation + principal + method + route template + key.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from lml_result import Err, Ok, Result

MAX_KEY_LENGTH = 255
# A quoted form of the longest key escapes every character and adds two quotes.
MAX_HEADER_LENGTH = 2 * MAX_KEY_LENGTH + 2
FIRST_PRINTABLE = 0x20
LAST_PRINTABLE = 0x7E
OPTIONAL_WHITESPACE = " \t"

# Parts kept readable in a Redis key: short, and free of ':' and of the braces
# that Redis Cluster reads as a hash tag.
READABLE_PART = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
HASHED_MARK = "~"


@dataclass(frozen=True, slots=True)
class InvalidKey:
    """Why a header value is not a usable key (the API answers 400 ``bad-request``)."""

    reason: str


def parse_idempotency_key(header_value: str) -> Result[str, InvalidKey]:
    """The key a client sent, bare (``abc``) or as an RFC 8941 string (``"abc"``).

    Both forms of a key give the same result. Surrounding spaces and tabs are not
    part of an HTTP field value and are ignored.
    """
    value = header_value.strip(OPTIONAL_WHITESPACE)
    if len(value) > MAX_HEADER_LENGTH:
        return _too_long()
    if value.startswith('"'):
        unquoted = _unquote(value)
        if isinstance(unquoted, InvalidKey):
            return Err(unquoted)
        value = unquoted
    else:
        for position, character in enumerate(value):
            if not _printable(character):
                return Err(
                    InvalidKey(
                        f"Idempotency-Key has a non-printable character at position {position}; "
                        "only ASCII 0x20-0x7E is allowed"
                    )
                )
    if not value:
        return Err(InvalidKey("Idempotency-Key is empty"))
    if len(value) > MAX_KEY_LENGTH:
        return _too_long()
    return Ok(value)


def _unquote(value: str) -> str | InvalidKey:
    characters: list[str] = []
    position = 1
    while position < len(value):
        character = value[position]
        if character == "\\":
            escaped = value[position + 1 : position + 2]
            if escaped not in ('"', "\\"):
                return InvalidKey(
                    f"Idempotency-Key has a bad escape at position {position}; "
                    'only \\" and \\\\ may follow a backslash'
                )
            characters.append(escaped)
            position += 2
        elif character == '"':
            if position != len(value) - 1:
                return InvalidKey(
                    "Idempotency-Key has characters after its closing quote "
                    f"at position {position + 1}"
                )
            return "".join(characters)
        elif not _printable(character):
            return InvalidKey(
                f"Idempotency-Key has a non-printable character at position {position}; "
                "only ASCII 0x20-0x7E is allowed"
            )
        else:
            characters.append(character)
            position += 1
    return InvalidKey("Idempotency-Key opens a quoted string but never closes it")


def _printable(character: str) -> bool:
    return FIRST_PRINTABLE <= ord(character) <= LAST_PRINTABLE


def _too_long() -> Err[InvalidKey]:
    return Err(InvalidKey(f"Idempotency-Key is longer than {MAX_KEY_LENGTH} characters"))


@dataclass(frozen=True, slots=True)
class IdempotencyScope:
    """One client key within its owner and route: the unit a store locks and replays."""

    organisation: str
    principal: str
    method: str
    route: str
    key: str

    def storage_key(self, prefix: str) -> str:
        """A bounded Redis key: ``{prefix}:idem:{organisation}:{digest}``.

        The organisation stays readable (hashed only when long or unusual) so an
        operator can find one tenant's records; everything else is digested.
        """
        digest = _digest(self.principal, self.method, self.route, self.key)
        return f"{prefix}:idem:{_readable(self.organisation)}:{digest}"


def _readable(part: str) -> str:
    if READABLE_PART.fullmatch(part):
        return part
    return HASHED_MARK + hashlib.sha256(part.encode()).hexdigest()[:32]


def _digest(*parts: str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        encoded = part.encode()
        # Length-prefixing keeps ("ab", "c") and ("a", "bc") apart.
        hasher.update(f"{len(encoded)}:".encode())
        hasher.update(encoded)
    return hasher.hexdigest()


@dataclass(frozen=True, slots=True)
class Lease:
    """A scope leased to one request: only the holder of ``token`` may renew or finish it.

    One value, because a token means nothing without the scope it was handed out for.
    """

    scope: IdempotencyScope
    token: str
