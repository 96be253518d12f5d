"""How a client proves who it is: HTTP Basic (RFC 6749 section 2.3.1) or form fields."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote

from lml_api.oauth.errors import OAuthError, invalid_client, invalid_request


def basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    if not authorization:
        return None
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise invalid_client() from None
    client_id, separator, secret = decoded.partition(":")
    if not separator:
        raise invalid_client()
    return unquote(client_id), unquote(secret)


def client_credentials(
    authorization: str | None, form_id: str | None, form_secret: str | None
) -> tuple[str, str]:
    """The client id and secret, from exactly one of the two places."""
    from_header = basic_credentials(authorization)
    if from_header and (form_id or form_secret):
        raise invalid_request("Send client credentials in the header or the body, not both.")
    if from_header:
        return from_header
    if not form_id or not form_secret:
        raise invalid_client()
    return form_id, form_secret


__all__ = ["OAuthError", "client_credentials"]
