import sys
from pathlib import Path

import psutil  # type: ignore[import-untyped]
import pymongo
import pytest

from lml_devstack import ExecutableNotFound, secantus_server


@pytest.mark.integration
def test_given_no_storage_when_started_then_the_url_answers_ping() -> None:
    with secantus_server(None) as url:
        client: pymongo.MongoClient[dict[str, object]] = pymongo.MongoClient(url)
        try:
            assert client.admin.command("ping")["ok"] == 1
        finally:
            client.close()


@pytest.mark.integration
def test_given_a_storage_directory_when_restarted_then_the_documents_are_still_there(
    tmp_path: Path,
) -> None:
    with secantus_server(tmp_path / "mongo") as url:
        client: pymongo.MongoClient[dict[str, object]] = pymongo.MongoClient(url)
        client.lml.kept.insert_one({"_id": "doc", "value": "from the first run"})
        client.close()

    with secantus_server(tmp_path / "mongo") as url:
        client = pymongo.MongoClient(url)
        try:
            assert client.lml.kept.find_one({"_id": "doc"}) == {
                "_id": "doc",
                "value": "from the first run",
            }
        finally:
            client.close()


@pytest.mark.integration
def test_when_the_block_raises_then_no_server_process_is_left() -> None:
    before = {child.pid for child in psutil.Process().children(recursive=True)}

    with pytest.raises(RuntimeError, match="boom"), secantus_server(None):
        raise RuntimeError("boom")

    after = {child.pid for child in psutil.Process().children(recursive=True)}
    assert after <= before


def test_given_no_executable_when_started_then_the_error_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(ExecutableNotFound, match="uv sync"), secantus_server(None):
        pass
