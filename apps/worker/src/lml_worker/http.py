"""The worker's own small HTTP surface: ``/livez`` and ``/metrics``."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator

import msgspec
import uvicorn
from litestar import Litestar, Response, get

from lml_config import Settings
from lml_metrics import CONTENT_TYPE, render


class Liveness(msgspec.Struct, frozen=True):
    status: str


@get("/livez", summary="The worker process is up")
async def livez() -> Liveness:
    return Liveness(status="ok")


@get("/metrics", summary="Prometheus metrics", media_type=CONTENT_TYPE)
async def metrics() -> Response[bytes]:
    return Response(render(), media_type=CONTENT_TYPE)


def create_worker_app() -> Litestar:
    # logging_config=None: Litestar would otherwise replace the process's JSON-lines logging.
    return Litestar(
        route_handlers=[livez, metrics], openapi_config=None, logging_config=None, debug=False
    )


class WorkerHttpServer(uvicorn.Server):
    """uvicorn without its own signal handling.

    The worker decides when to stop (after the job in progress), then tells this server
    to exit; uvicorn's handlers would otherwise stop it first and re-raise the signal.
    """

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def build_http_server(settings: Settings) -> WorkerHttpServer:
    config = uvicorn.Config(
        create_worker_app(),
        host=settings.host,
        port=settings.worker_port,
        lifespan="on",
        log_config=None,
        access_log=False,
        server_header=False,
        # uvicorn takes whole seconds here.
        timeout_graceful_shutdown=math.ceil(settings.shutdown_grace_seconds),
    )
    return WorkerHttpServer(config)
