"""``lml api``, ``lml worker`` and ``lml dev`` as real processes, the way operators and
``lml dev`` run them: they serve, and a signal stops them cleanly with nothing left behind."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import psutil  # type: ignore[import-untyped]
import pytest

from lml_api.tokens import build_tokens
from lml_devstack import free_port, port_is_free
from lml_testing.databases import TemporaryDatabase, owner_rows
from lml_testing.lml_processes import kill_with_children, lml_process, wait_for_http_ok
from lml_testing.plugin import SettingsFactory
from lml_testing.seed import seed_event

pytestmark = pytest.mark.integration

STOP_DEADLINE_SECONDS = 15
DEV_START_DEADLINE_SECONDS = 60
DEV_STOP_DEADLINE_SECONDS = 30


def servers_that_do_not_answer() -> dict[str, str]:
    return {
        "LML_DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/lml",
        "LML_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
        "LML_MONGO_URL": f"mongodb://127.0.0.1:{free_port()}/",
        "LML_DEPENDENCY_TIMEOUT_SECONDS": "0.5",
    }


def test_given_a_running_worker_when_sigterm_arrives_then_it_exits_0_promptly(
    tmp_path: Path,
) -> None:
    port = free_port()
    # The worker runs anyway and reports them down.
    env = {"LML_WORKER_PORT": str(port), **servers_that_do_not_answer()}
    worker = lml_process("worker", env, tmp_path / "worker.log")
    try:
        wait_for_http_ok(f"http://127.0.0.1:{port}/livez", worker, deadline_seconds=30)

        worker.send_signal(signal.SIGTERM)

        assert worker.wait(timeout=STOP_DEADLINE_SECONDS) == 0
    finally:
        worker.kill()
        worker.wait()


@pytest.mark.parametrize("workers", [1, 2])
def test_given_a_running_api_when_sigterm_arrives_then_every_process_exits_0_promptly(
    tmp_path: Path, make_settings: SettingsFactory, mongo_url: str, workers: int
) -> None:
    """With LML_API_WORKERS above one, each process listens on the port itself."""
    settings = make_settings(mongo_url=mongo_url)
    port, metrics_port = free_port(), free_ports_in_a_row(workers)
    env = {
        "LML_PORT": str(port),
        "LML_METRICS_PORT": str(metrics_port),
        "LML_API_WORKERS": str(workers),
        "LML_DATABASE_URL": str(settings.database_url),
        "LML_REDIS_URL": str(settings.redis_url),
        "LML_MONGO_URL": mongo_url,
    }
    api = lml_process("api", env, tmp_path / "api.log")
    try:
        wait_for_http_ok(f"http://127.0.0.1:{port}/livez", api, deadline_seconds=30)
        # Each process listens on the port before it serves its metrics: once every metrics
        # listener answers, every process is listening (/livez alone may come from one).
        for n in range(workers):
            wait_for_http_ok(f"http://127.0.0.1:{metrics_port + n}/metrics", api, 10)
        serving = [
            psutil.Process(connection.pid)
            for connection in psutil.net_connections("tcp")
            if connection.status == psutil.CONN_LISTEN and connection.laddr.port == port
        ]
        assert len(serving) == workers
        assert all(process.pid == api.pid or process.ppid() == api.pid for process in serving)
        assert httpx.get(f"http://127.0.0.1:{port}/metrics").status_code == 404

        api.send_signal(signal.SIGTERM)

        assert api.wait(timeout=STOP_DEADLINE_SECONDS) == 0
        psutil.wait_procs(serving, timeout=STOP_DEADLINE_SECONDS)
        assert not any(process.is_running() for process in serving)
    finally:
        kill_with_children(api)


async def test_given_a_hold_in_flight_when_sigterm_arrives_then_it_completes_and_nothing_new_starts(
    tmp_path: Path,
    make_settings: SettingsFactory,
    migrated_database: TemporaryDatabase,
    mongo_url: str,
    redis_key_prefix: str,
) -> None:
    """A request whose body is still arriving when the signal comes is served to the end;
    the port stops accepting at once; the process exits 0 once it is answered."""
    settings = make_settings(mongo_url=mongo_url)
    tenant, event_id = f"org_{uuid.uuid4().hex[:12]}", f"evt_{uuid.uuid4().hex[:12]}"
    await seed_event(migrated_database.admin_url, tenant, event_id, ["S-1", "S-2"], {})
    token = build_tokens(settings).issuer.issue("usr_1", tenant, ["inventory.holds:write"])
    port = free_port()
    env = {
        "LML_PORT": str(port),
        "LML_METRICS_PORT": str(free_port()),
        "LML_DATABASE_URL": str(settings.database_url),
        "LML_REDIS_URL": str(settings.redis_url),
        "LML_REDIS_KEY_PREFIX": redis_key_prefix,
        "LML_MONGO_URL": mongo_url,
    }
    api = lml_process("api", env, tmp_path / "api.log")
    try:
        wait_for_http_ok(f"http://127.0.0.1:{port}/livez", api, deadline_seconds=30)
        body = json.dumps({"event_id": event_id, "seat_ids": ["S-1"]}).encode()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            b"POST /v1/holds HTTP/1.1\r\nHost: lml\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {token.access_token}\r\n".encode()
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body[:10]
        )
        await writer.drain()
        await asyncio.sleep(0.3)  # the server has the headers: the request is in flight

        api.send_signal(signal.SIGTERM)
        await asyncio.sleep(0.5)
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        writer.write(body[10:])
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), STOP_DEADLINE_SECONDS)
        writer.close()

        assert status_line.startswith(b"HTTP/1.1 201"), status_line
        assert await asyncio.to_thread(api.wait, STOP_DEADLINE_SECONDS) == 0
        assert await owner_rows(
            migrated_database.admin_url,
            "select seat_id from lml.event_seats where event_id = %s and hold_id is not null",
            event_id,
        ) == [("S-1",)]
    finally:
        kill_with_children(api)


def test_given_api_workers_that_cannot_start_then_lml_api_exits_with_the_startup_failure(
    tmp_path: Path,
) -> None:
    env = {
        "LML_PORT": str(free_port()),
        "LML_METRICS_PORT": str(free_port()),
        "LML_API_WORKERS": "2",
        "LML_STARTUP_ATTEMPTS": "1",
        **servers_that_do_not_answer(),
    }
    api = lml_process("api", env, tmp_path / "api.log")
    try:
        assert api.wait(timeout=60) == 3
    finally:
        kill_with_children(api)


@pytest.mark.slow
def test_given_no_server_urls_when_lml_dev_runs_then_it_serves_and_ctrl_c_leaves_nothing_behind(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / ".lml"
    env = {
        "LML_DATA_DIR": str(data_dir),
        "LML_PORT": str(free_port()),
        "LML_WORKER_PORT": str(free_port()),
        "LML_METRICS_PORT": str(free_port()),
    }
    dev = lml_process("dev", env, tmp_path / "dev.log")
    try:
        wait_for_file(data_dir / "dev.json", dev, DEV_START_DEADLINE_SECONDS)
        stack = json.loads((data_dir / "dev.json").read_text())
        wait_for_http_ok(f"{stack['base_url']}/livez", dev, deadline_seconds=5)
        wait_for_http_ok(f"{stack['worker_url']}/livez", dev, deadline_seconds=5)
        wait_for_http_ok(stack["metrics_url"], dev, deadline_seconds=5)
        assert stack["org_id"] == "org_demo"
        assert_demo_user_signs_in(stack)
        assert_demo_event_is_readable(stack)
        assert stack["database_url"].startswith("postgresql://")
        assert stack["redis_url"].startswith("redis://127.0.0.1:")
        assert stack["mongo_url"].startswith("mongodb://127.0.0.1:")
        started = psutil.Process(dev.pid).children(recursive=True)
        assert len(started) >= 5  # postgres, redis, secantusd, lml api, lml worker

        dev.send_signal(signal.SIGINT)

        assert dev.wait(timeout=DEV_STOP_DEADLINE_SECONDS) == 0
        assert [process.pid for process in started if _alive(process)] == []
        assert not (data_dir / "dev.json").exists()
    finally:
        if dev.poll() is None:
            for process in psutil.Process(dev.pid).children(recursive=True):
                process.kill()
            dev.kill()
            dev.wait()


def assert_demo_user_signs_in(stack: dict[str, str]) -> None:
    token = httpx.post(
        f"{stack['base_url']}/v1/oauth/token",
        data={
            "grant_type": "password",
            "username": stack["username"],
            "password": stack["password"],
            "client_id": stack["client_id"],
        },
    )
    assert token.status_code == 200, token.text
    me = httpx.get(
        f"{stack['base_url']}/v1/users/me",
        headers={"Authorization": f"Bearer {token.json()['access_token']}"},
    )
    assert me.json()["username"] == stack["username"]
    assert httpx.get(f"{stack['base_url']}/readyz").status_code == 200


def assert_demo_event_is_readable(stack: dict[str, str]) -> None:
    token = httpx.post(
        f"{stack['base_url']}/v1/oauth/token",
        data={
            "grant_type": "password",
            "username": stack["username"],
            "password": stack["password"],
            "client_id": stack["client_id"],
        },
    ).json()["access_token"]
    event = httpx.get(
        f"{stack['base_url']}/v1/events/{stack['event_id']}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert event.status_code == 200, event.text
    assert event.json()["venue_id"] == stack["venue_id"]


def _alive(process: psutil.Process) -> bool:
    try:
        return bool(process.is_running() and process.status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False


def free_ports_in_a_row(count: int) -> int:
    """The first of ``count`` consecutive free ports: process n of the API serves its
    metrics on LML_METRICS_PORT + n, so one free port is not enough."""
    for _ in range(100):
        first = free_port()
        if all(port_is_free(first + n) for n in range(1, count)):
            return first
    raise RuntimeError(f"no {count} consecutive free ports found")


def wait_for_file(path: Path, process: subprocess.Popen[bytes], deadline_seconds: float) -> None:
    deadline = time.monotonic() + deadline_seconds
    while not path.exists():
        assert process.poll() is None, f"the process exited with {process.returncode}"
        assert time.monotonic() < deadline, f"{path} did not appear within {deadline_seconds} s"
        time.sleep(0.05)
