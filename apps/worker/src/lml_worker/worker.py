"""The worker process: periodic jobs plus ``/livez`` and ``/metrics``, stopped by a signal."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from lml_config import Settings
from lml_sales.payment_gateway import opened_payment_gateway
from lml_worker.dependencies import open_dependencies
from lml_worker.http import build_http_server
from lml_worker.jobs import Job, run_jobs
from lml_worker.registry import registered_jobs

log = logging.getLogger("lml.worker")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


async def run_worker(settings: Settings) -> None:
    """Run the worker's jobs until SIGTERM or SIGINT, then return once the running jobs end."""
    stop = asyncio.Event()
    async with (
        open_dependencies(settings) as connections,
        opened_payment_gateway(settings) as gateway,
    ):
        with stop_on_signals(stop):
            await serve_worker(settings, registered_jobs(settings, connections, gateway), stop)


async def serve_worker(settings: Settings, jobs: Sequence[Job], stop: asyncio.Event) -> None:
    """Serve HTTP on ``settings.worker_port`` and run ``jobs`` until ``stop`` is set.

    The port is bound before any job starts, so a port in use fails here, at once.
    """
    listener = socket.create_server((settings.host, settings.worker_port))
    server = build_http_server(settings)
    serving = asyncio.create_task(server.serve(sockets=[listener]), name="lml-worker-http")
    log.info(
        "worker started",
        extra={"port": listener.getsockname()[1], "jobs": [job.name for job in jobs]},
    )
    try:
        await run_jobs(jobs, stop)
    finally:
        server.should_exit = True
        await serving
        listener.close()
    log.info("worker stopped")


@contextmanager
def stop_on_signals(stop: asyncio.Event) -> Iterator[None]:
    """Turn SIGTERM and SIGINT into ``stop``, so the job in progress can finish."""
    loop = asyncio.get_running_loop()

    def request_stop(received: signal.Signals) -> None:
        log.info("stopping once the running jobs finish", extra={"signal": received.name})
        stop.set()

    for received in STOP_SIGNALS:
        loop.add_signal_handler(received, request_stop, received)
    try:
        yield
    finally:
        for received in STOP_SIGNALS:
            loop.remove_signal_handler(received)
