"""schemathesis against the app on real PostgreSQL, Redis and MongoDB: every answer the API
gives is in its OpenAPI document, with every check on. Bounded examples and
deterministic generation, so a run is the same run every time and takes about a minute.
The summary (cases, failures) is printed; run with ``-s`` to see it.

Run by hand against ``lml dev`` the same way (see the README's "Contract tests").
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lml_api.app import create_app
from lml_api.tokens import build_tokens
from lml_auth import ALL_SCOPES
from lml_config import Settings
from lml_testing.databases import TemporaryDatabase
from lml_testing.seed import seed_event
from lml_testing.served import over_http

pytestmark = pytest.mark.integration

CONFIG = Path(__file__).parents[4] / "schemathesis.toml"
# Generous budgets: the run checks the contract, not the limits (rate limits have their own
# tests); 429 is documented and would be no failure, only fewer useful cases.
BUDGETS = "*=1000000/60s"


@pytest.fixture
def settings(
    make_settings: Callable[..., Settings],
    mongo_url: str,
    redis_key_prefix: str,
    migrated_database: TemporaryDatabase,
) -> Settings:
    return make_settings(
        mongo_url=mongo_url,
        redis_key_prefix=redis_key_prefix,
        rate_limit_budgets=BUDGETS,
        unauthenticated_attempts_per_ip="1000000",
    )


def schemathesis_binary() -> str:
    found = Path(sys.executable).with_name("st")
    return str(found) if found.exists() else shutil.which("st") or "st"


async def schemathesis(
    base_url: str, token: str, tenant: str, report: Path, *arguments: str
) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        schemathesis_binary(),
        "--config-file",
        str(CONFIG),
        "run",
        f"{base_url}/schema/openapi.json",
        "--header",
        f"Authorization: Bearer {token}",
        # The organisation the token is for: a generated one would be 403 `org-mismatch`.
        "--header",
        f"X-Org-ID: {tenant}",
        # The same cases every run (schemathesis ignores --seed in this mode).
        "--generation-deterministic",
        "--no-color",
        "--workers",
        "1",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        *arguments,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
    )
    output, _ = await process.communicate()
    text = output.decode(errors="replace")
    print(text)
    return {"returncode": process.returncode, "output": text}


async def seeded_tenant(database: TemporaryDatabase) -> str:
    tenant = f"org_{uuid.uuid4().hex[:12]}"
    await seed_event(database.admin_url, tenant, f"evt_{uuid.uuid4().hex[:12]}", ["A-1"], {})
    return tenant


async def test_every_answer_with_every_scope_is_in_the_document(
    settings: Settings, migrated_database: TemporaryDatabase, tmp_path: Path
) -> None:
    tenant = await seeded_tenant(migrated_database)
    token = build_tokens(settings).issuer.issue("usr_contract", tenant, sorted(ALL_SCOPES))
    async with over_http(create_app(settings=settings)) as base_url:
        result = await schemathesis(
            base_url,
            token.access_token,
            tenant,
            tmp_path / "all.ndjson",
            "--checks",
            "all",
            "--max-examples",
            "25",
        )
    assert result["returncode"] == 0, result["output"][-6000:]


async def test_without_scopes_every_operation_answers_as_documented(
    settings: Settings, migrated_database: TemporaryDatabase, tmp_path: Path
) -> None:
    tenant = await seeded_tenant(migrated_database)
    token = build_tokens(settings).issuer.issue("usr_contract", tenant, [])
    async with over_http(create_app(settings=settings)) as base_url:
        result = await schemathesis(
            base_url,
            token.access_token,
            tenant,
            tmp_path / "none.ndjson",
            "--checks",
            "all",
            "--phases",
            "examples,fuzzing",
            "--max-examples",
            "3",
        )
    assert result["returncode"] == 0, result["output"][-6000:]
