"""``POST /v1/oauth/token``: the password and client-credentials grants."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, post
from litestar.di import NamedDependency
from prometheus_client import Counter

from lml_api.access import PUBLIC
from lml_api.container import Container
from lml_api.idempotency import NOT_IDEMPOTENT
from lml_api.oauth.client_credentials import client_credentials
from lml_api.oauth.errors import (
    NO_STORE,
    OAuthError,
    invalid_client,
    invalid_request,
    oauth_error_response,
)
from lml_api.oauth.throttle import RateLimitedSignInAttempts
from lml_auth import format_scopes, parse_scopes
from lml_identity.application import (
    ClientCredentialsGrant,
    PasswordGrant,
    authenticate_client,
    authenticate_password,
)
from lml_identity.domain import Grant, InvalidClient, InvalidGrant, InvalidScope
from lml_metrics import REGISTRY
from lml_result import Err, Ok

FORM = "application/x-www-form-urlencoded"

TOKEN_REQUESTS = Counter(
    "lml_oauth_token_requests_total",
    "Token endpoint answers, by grant type and outcome.",
    ("grant_type", "outcome"),
    registry=REGISTRY,
)


class TokenResponse(msgspec.Struct, frozen=True):
    access_token: str
    expires_in: int
    scope: str
    token_type: str = "Bearer"  # noqa: S105 - the RFC 6750 token type, not a secret


def requested_scopes(form: dict[str, str]) -> frozenset[str] | None:
    text = form.get("scope", "").strip()
    if not text:
        return None
    try:
        return parse_scopes(text)
    except ValueError:
        raise OAuthError("invalid_scope", "The scope parameter is malformed.") from None


def required(form: dict[str, str], name: str) -> str:
    value = form.get(name)
    if not value:
        raise invalid_request(f"The {name} parameter is required.")
    return value


def refused(error: InvalidClient | InvalidGrant | InvalidScope) -> OAuthError:
    match error:
        case InvalidClient():
            return invalid_client()
        case InvalidGrant():
            return OAuthError("invalid_grant", "The username or password is wrong.")
        case InvalidScope():
            return OAuthError("invalid_scope", "A requested scope is not allowed for this account.")


async def password_grant(form: dict[str, str], container: Container) -> Grant:
    grant = PasswordGrant(
        client_id=required(form, "client_id"),
        username=required(form, "username"),
        password=required(form, "password"),
        requested_scopes=requested_scopes(form),
    )
    identity = container.identity
    match await authenticate_password(
        grant,
        clients=identity.clients,
        users=identity.users,
        hasher=identity.hasher,
        attempts=RateLimitedSignInAttempts(container.rate_limiter, container.settings),
    ):
        case Ok(granted):
            return granted
        case Err(error):
            raise refused(error)


async def client_credentials_grant(
    form: dict[str, str], authorization: str | None, container: Container
) -> Grant:
    client_id, secret = client_credentials(
        authorization, form.get("client_id"), form.get("client_secret")
    )
    grant = ClientCredentialsGrant(
        client_id=client_id, client_secret=secret, requested_scopes=requested_scopes(form)
    )
    identity = container.identity
    match await authenticate_client(grant, clients=identity.clients, hasher=identity.hasher):
        case Ok(granted):
            return granted
        case Err(error):
            raise refused(error)


async def read_form(request: Request[Any, Any, Any]) -> dict[str, str]:
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM:
        raise invalid_request(f"The token endpoint takes {FORM}.")
    form = await request.form()
    return {key: str(value) for key, value in form.items()}


@post(
    "/v1/oauth/token",
    summary="Issue an access token (password or client_credentials grant)",
    status_code=200,
    opt=PUBLIC | NOT_IDEMPOTENT,
)
async def issue_token(
    request: Request[Any, Any, Any], container: NamedDependency[Container]
) -> Response[Any]:
    grant_type = "unknown"
    try:
        form = await read_form(request)
        grant_type = required(form, "grant_type")
        authorization = request.headers.get("authorization")
        if grant_type == "password":
            granted = await password_grant(form, container)
        elif grant_type == "client_credentials":
            granted = await client_credentials_grant(form, authorization, container)
        else:
            grant_type = "unsupported"
            raise OAuthError("unsupported_grant_type", "Use password or client_credentials.")
    except OAuthError as error:
        TOKEN_REQUESTS.labels(grant_type, error.error).inc()
        return oauth_error_response(error)
    issued = container.tokens.issuer.issue(granted.subject, granted.org_id, granted.scopes)
    TOKEN_REQUESTS.labels(grant_type, "issued").inc()
    body = TokenResponse(
        access_token=issued.access_token,
        expires_in=issued.expires_in,
        scope=format_scopes(granted.scopes),
    )
    return Response(body, status_code=200, headers=NO_STORE)
