"""RFC 6749 section 5.2 error answers: not Problem Details, because OAuth clients expect these."""

from __future__ import annotations

from typing import Any

from litestar import Response

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class OAuthError(Exception):
    def __init__(self, error: str, description: str, *, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


def invalid_request(description: str) -> OAuthError:
    return OAuthError("invalid_request", description)


def invalid_client() -> OAuthError:
    return OAuthError("invalid_client", "Client authentication failed.", status=401)


def oauth_error_response(error: OAuthError) -> Response[dict[str, Any]]:
    headers = dict(NO_STORE)
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="lml"'
    return Response(
        {"error": error.error, "error_description": error.description},
        status_code=error.status,
        headers=headers,
    )
