"""Rotating the signing key across a rolling deploy fails no request."""

from litestar.testing import AsyncTestClient

from lml_api.app import create_app
from lml_api.fakes import in_memory_container
from lml_api.tokens import build_tokens
from lml_config import load_settings

OLD = "old:b2xkLXNpZ25pbmcta2V5LXRoYXQtaXMtbG9uZy1lbm91Z2gtMzI"
NEW = "new:bmV3LXNpZ25pbmcta2V5LXRoYXQtaXMtbG9uZy1lbm91Z2gtMzI"

STAGES = [
    {"LML_JWT_KEYS": OLD, "LML_JWT_SIGNING_KID": "old"},
    {"LML_JWT_KEYS": f"{OLD},{NEW}", "LML_JWT_SIGNING_KID": "old"},
    {"LML_JWT_KEYS": f"{OLD},{NEW}", "LML_JWT_SIGNING_KID": "new"},
]


async def status_with(token: str, environ: dict[str, str]) -> int:
    app = create_app(in_memory_container(load_settings(environ)))
    async with AsyncTestClient(app) as client:
        response = await client.get("/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    return response.status_code


async def test_given_tokens_from_every_stage_then_every_later_stage_accepts_them() -> None:
    for issued_at, issuing in enumerate(STAGES):
        token = (
            build_tokens(load_settings(issuing))
            .issuer.issue("usr_x", "org_x", {"identity.me.read"})
            .access_token
        )
        for verifying in STAGES[issued_at + 1 :]:
            # 404: authenticated and authorised, the user just is not in the empty fake store.
            assert await status_with(token, verifying) == 404


async def test_given_the_old_key_retired_then_its_tokens_are_refused() -> None:
    token = (
        build_tokens(load_settings(STAGES[0]))
        .issuer.issue("usr_x", "org_x", {"identity.me.read"})
        .access_token
    )
    retired = {"LML_JWT_KEYS": NEW, "LML_JWT_SIGNING_KID": "new"}
    assert await status_with(token, retired) == 401
