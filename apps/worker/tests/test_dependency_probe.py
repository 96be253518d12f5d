import asyncio
import uuid

import pytest

from lml_connections import probes
from lml_metrics import REGISTRY
from lml_testing.plugin import SettingsFactory
from lml_testing.settings import settings_for_tests
from lml_worker import dependency_probe, run_once
from lml_worker.dependencies import open_dependencies
from lml_worker.dependency_probe import Probe


def up(dependency: str) -> float | None:
    return REGISTRY.get_sample_value("lml_dependency_up", {"dependency": dependency})


async def answers() -> None:
    return None


async def refuses() -> None:
    raise ConnectionRefusedError("nobody listens")


async def hangs() -> None:
    await asyncio.Event().wait()


async def test_given_an_answering_dependency_when_probed_then_it_is_up() -> None:
    name = f"answers-{uuid.uuid4().hex[:8]}"

    await run_once(dependency_probe({name: answers}, timeout_seconds=1))

    assert up(name) == 1


@pytest.mark.parametrize("probe", [refuses, hangs], ids=["refuses", "hangs"])
async def test_given_an_unreachable_dependency_when_probed_then_it_is_down_and_the_run_succeeds(
    probe: Probe,
) -> None:
    name = f"down-{uuid.uuid4().hex[:8]}"

    succeeded = await run_once(dependency_probe({name: probe}, timeout_seconds=0.05))

    assert succeeded
    assert up(name) == 0


@pytest.mark.integration
async def test_given_real_servers_when_probed_then_postgresql_redis_and_mongodb_are_up(
    make_settings: SettingsFactory, mongo_url: str
) -> None:
    settings = make_settings(mongo_url=mongo_url)

    async with open_dependencies(settings) as connections:
        await run_once(dependency_probe(probes(connections), timeout_seconds=5))

    assert (up("postgresql"), up("redis"), up("mongodb")) == (1, 1, 1)


async def test_given_servers_that_do_not_answer_when_probed_then_each_is_down() -> None:
    settings = settings_for_tests(
        database_url="postgresql://postgres@127.0.0.1:1/lml",
        redis_url="redis://127.0.0.1:1/0",
        mongo_url="mongodb://127.0.0.1:1/",
        dependency_timeout_seconds=0.5,
    )

    async with open_dependencies(settings) as connections:
        await run_once(dependency_probe(probes(connections), timeout_seconds=1))

    assert (up("postgresql"), up("redis"), up("mongodb")) == (0, 0, 0)
