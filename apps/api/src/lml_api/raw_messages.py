"""Reading and answering at the ASGI level, for middlewares that must see a request's
body before the handler (which then reads it again) or answer without one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from litestar.handlers import HTTPRouteHandler
from litestar.types import HTTPRequestEvent, HTTPScope, Receive, ReceiveMessage, Send

from lml_api.problems.responses import MEDIA_TYPE, encode_problem

Headers = Iterable[tuple[str, str]]


def replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the already-read body to the handler, then the real one."""
    delivered = False

    async def receive_replayed() -> ReceiveMessage:
        nonlocal delivered
        if delivered:
            return await receive()
        delivered = True
        return HTTPRequestEvent(type="http.request", body=body, more_body=False)

    return receive_replayed


async def read_body(scope: HTTPScope, receive: Receive, send: Send) -> bytes | None:
    """The whole body, or None when the client left or the body is over the route's limit (413)."""
    handler = cast("HTTPRouteHandler", scope["route_handler"])
    limit = handler.resolve_request_max_body_size()
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            await send_problem(
                scope, send, "payload-too-large", f"The request body is over {limit} bytes."
            )
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def send_response(send: Send, status: int, body: bytes, headers: Headers) -> None:
    encoded = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]
    encoded.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": encoded})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def send_problem(scope: HTTPScope, send: Send, slug: str, detail: str) -> None:
    problem = encode_problem(slug, detail, scope["path"])
    await send_response(send, problem.status, problem.content, [("content-type", MEDIA_TYPE)])
