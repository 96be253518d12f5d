"""The stored response and the answers ``begin`` gives."""

from __future__ import annotations

from typing import TypeAlias

import msgspec

from lml_idempotency.keys import Lease


class StoredResponse(msgspec.Struct, frozen=True):
    """What a replay sends back: the first response's status, body and chosen headers."""

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(StoredResponse)


def encode_response(response: StoredResponse) -> bytes:
    return _encoder.encode(response)


def decode_response(raw: bytes) -> StoredResponse:
    return _decoder.decode(raw)


class Began(msgspec.Struct, frozen=True):
    """The key was free and is now leased to this request."""

    lease: Lease


class InFlight(msgspec.Struct, frozen=True):
    """Another request with the same key and body holds the lease (answer 202, retry later)."""


class Replay(msgspec.Struct, frozen=True):
    """The same request already completed: send its stored response again."""

    response: StoredResponse


class Mismatch(msgspec.Struct, frozen=True):
    """The key is taken by a request with a different body or path (answer 409)."""


BeginOutcome: TypeAlias = Began | InFlight | Replay | Mismatch
