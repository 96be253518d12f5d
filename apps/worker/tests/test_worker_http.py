import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from lml_devstack import free_port
from lml_testing.settings import settings_for_tests
from lml_worker import Job, serve_worker

JOB = f"http-test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
async def worker_url() -> AsyncIterator[str]:
    """A worker serving HTTP in this process, with one job that has run once.

    The worker binds its port before it starts any job, so once the job ran the port
    accepts connections.
    """
    ran = asyncio.Event()

    async def job() -> None:
        ran.set()

    port = free_port()
    stop = asyncio.Event()
    worker = asyncio.create_task(
        serve_worker(settings_for_tests(worker_port=port), [Job(JOB, 3600, job)], stop)
    )
    url = f"http://127.0.0.1:{port}"
    await ran.wait()
    try:
        yield url
    finally:
        stop.set()
        await worker


async def get(url: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=2) as client:
        return await client.get(url)


async def test_when_the_worker_runs_then_livez_answers_ok(worker_url: str) -> None:
    response = await get(f"{worker_url}/livez")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_when_a_job_ran_then_metrics_show_its_runs(worker_url: str) -> None:
    response = await get(f"{worker_url}/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert f'lml_worker_job_runs_total{{job="{JOB}",outcome="success"}}' in response.text
