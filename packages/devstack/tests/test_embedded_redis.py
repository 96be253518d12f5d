from pathlib import Path

import psutil  # type: ignore[import-untyped]
import pytest
import redis

from lml_devstack import embedded_redis, free_port

pytestmark = pytest.mark.integration


def test_when_started_then_the_url_answers_ping_over_tcp(tmp_path: Path) -> None:
    with embedded_redis(tmp_path) as url:
        assert url.startswith("redis://127.0.0.1:")
        client = redis.Redis.from_url(url)
        try:
            assert client.ping()
        finally:
            client.close()


def test_given_a_port_when_started_then_redis_listens_on_it(tmp_path: Path) -> None:
    port = free_port()

    with embedded_redis(tmp_path, port=port) as url:
        assert url == f"redis://127.0.0.1:{port}/0"


def test_given_data_from_an_earlier_run_when_restarted_then_the_data_is_still_there(
    tmp_path: Path,
) -> None:
    with embedded_redis(tmp_path) as url:
        client = redis.Redis.from_url(url)
        client.set("kept", "from the first run")
        client.close()

    with embedded_redis(tmp_path) as url:
        client = redis.Redis.from_url(url)
        try:
            assert client.get("kept") == b"from the first run"
        finally:
            client.close()


def test_when_the_block_raises_then_no_server_process_is_left(tmp_path: Path) -> None:
    before = {child.pid for child in psutil.Process().children(recursive=True)}

    with pytest.raises(RuntimeError, match="boom"), embedded_redis(tmp_path):
        raise RuntimeError("boom")

    after = {child.pid for child in psutil.Process().children(recursive=True)}
    assert after <= before
