"""Input no store can take is refused once, here, before any handler or store sees it.

PostgreSQL refuses a NUL character in text, and msgspec recurses once per level of JSON
nesting: both reached the stores or the decoder and came back as 500s. Every other
malformed byte (invalid UTF-8, lone surrogates) msgspec already refuses as bad JSON.

- a NUL in the path: 404 ``not-found`` (no resource has such an id);
- a NUL in the query string or in a JSON string of the body: 400 ``bad-request``;
- a JSON body nested deeper than the decoder can follow: 400 ``bad-request``.

JSON can only carry a NUL as the escape ``\\u0000``, and the escape is real when an even
number of backslashes stands before its own, so one scan of the raw body finds it.
"""

from __future__ import annotations

import re
from typing import cast
from urllib.parse import unquote_to_bytes

import msgspec
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, HTTPScope, Receive, Scope, Send

from lml_api.raw_messages import read_body, replaying, send_problem

WITH_BODY = frozenset({"POST", "PUT", "PATCH"})
ESCAPED_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


class HostileInputMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        http_scope = cast("HTTPScope", scope)
        if "\x00" in http_scope["path"]:
            await send_problem(http_scope, send, "not-found", "There is no such resource.")
            return
        if b"\x00" in unquote_to_bytes(http_scope["query_string"]):
            await send_problem(
                http_scope, send, "bad-request", "Query parameters must not contain NUL."
            )
            return
        if http_scope["method"] not in WITH_BODY or not _is_json(http_scope):
            await next_app(scope, receive, send)
            return
        body = await read_body(http_scope, receive, send)
        if body is None:
            return
        refusal = _refusal(body)
        if refusal is not None:
            await send_problem(http_scope, send, "bad-request", refusal)
            return
        await next_app(scope, replaying(body, receive), send)


def _is_json(scope: HTTPScope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            media_type = value.split(b";", 1)[0].strip().lower()
            return media_type == b"application/json" or media_type.endswith(b"+json")
    return False


def _refusal(body: bytes) -> str | None:
    if ESCAPED_NUL.search(body):
        return "JSON strings must not contain NUL (\\u0000)."
    try:
        msgspec.json.decode(body)
    except RecursionError:
        return "The JSON body is nested too deeply."
    except msgspec.DecodeError:
        pass  # malformed JSON: the handler's own decoding answers it
    return None
