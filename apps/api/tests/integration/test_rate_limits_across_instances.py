"""Rate-limit counters in Redis: API instances sharing it share one budget."""

from collections.abc import Callable

import pytest
from litestar import post
from litestar.testing import AsyncTestClient

from lml_api.access import requires
from lml_api.app import create_app
from lml_api.tokens import build_tokens
from lml_config import Settings

pytestmark = pytest.mark.integration

SCOPE = "venues.write"
THINGS = "/v1/test/things"


@post(THINGS, opt=requires(SCOPE), status_code=201)
async def create_thing() -> None:
    return None


async def test_given_two_instances_on_one_redis_then_they_spend_one_budget(
    make_settings: Callable[..., Settings], mongo_url: str, redis_key_prefix: str
) -> None:
    settings = make_settings(
        mongo_url=mongo_url,
        redis_key_prefix=redis_key_prefix,
        rate_limit_budgets="POST *=3/60s;*=100/60s",
    )
    token = build_tokens(settings).issuer.issue("usr_1", "org_a", [SCOPE]).access_token
    headers = {"Authorization": f"Bearer {token}"}
    first_app, second_app = create_app(settings=settings), create_app(settings=settings)
    for app in (first_app, second_app):
        app.register(create_thing)

    async with AsyncTestClient(first_app) as first, AsyncTestClient(second_app) as second:
        answers = [
            await client.post(THINGS, headers=headers) for client in (first, second, first, second)
        ]

    assert [answer.status_code for answer in answers] == [201, 201, 201, 429]
    assert [answer.headers["x-ratelimit-remaining"] for answer in answers] == ["2", "1", "0", "0"]
    assert int(answers[-1].headers["retry-after"]) >= 1
