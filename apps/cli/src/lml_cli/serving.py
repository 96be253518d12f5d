"""Serve the API with uvicorn until SIGTERM or SIGINT, letting in-flight requests finish.

With ``LML_API_WORKERS`` above one, that many processes serve the port, each on its own
``SO_REUSEPORT`` socket, so the kernel spreads connections evenly over them. (On one
shared listening socket the process that wakes first takes a whole burst of new
connections: the holds bench saw 53 of its 64 clients land on one of two processes.)
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import signal
import socket
from multiprocessing.connection import wait
from types import FrameType

from lml_api.app import create_app
from lml_api.server import build_server
from lml_config import Settings
from lml_metrics import metrics_listener

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
LISTEN_BACKLOG = 2048


def serve_api(settings: Settings) -> bool:
    """Serve until stopped; False when the API did not start or a process failed."""
    if settings.api_workers == 1:
        return _serve(settings, sockets=None, index=0)
    return _supervise(settings)


def _serve(settings: Settings, sockets: list[socket.socket] | None, index: int) -> bool:
    """Run one server; return whether it started (False: its lifespan start-up failed).

    uvicorn handles the stop signals while it serves and re-raises them once it has shut
    down gracefully. Making its own handler the process's handler too covers a signal that
    arrives before it starts serving, and makes that re-raise a no-op, so a requested stop
    ends the process with status 0 instead of being killed by the signal.
    """
    app = create_app(settings=settings)
    app.on_startup.append(_freeze_startup_objects)
    server = build_server(app, settings)
    previous = {received: signal.signal(received, server.handle_exit) for received in STOP_SIGNALS}
    try:
        with (
            # Each process has its own registry, so each serves it on a port of its own.
            metrics_listener(settings.metrics_host, _metrics_port(settings, index)),
            asyncio.Runner(loop_factory=server.config.get_loop_factory()) as runner,
        ):
            runner.run(server.serve(sockets=sockets))
    finally:
        for received, handler in previous.items():
            signal.signal(received, handler)
    return server.started


def _metrics_port(settings: Settings, index: int) -> int:
    """Process ``index`` serves LML_METRICS_PORT + index; LML_METRICS_PORT=0 lets each
    process take any free port (for tests and benches)."""
    return settings.metrics_port + index if settings.metrics_port else 0


def _freeze_startup_objects() -> None:
    """What start-up made lives as long as the process; frozen, the collector stops
    scanning it. Under load, full collections of it took about 35 ms every half second,
    which was most of the API's p99 latency."""
    gc.freeze()


def _supervise(settings: Settings) -> bool:
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_serve_on_own_socket, args=(settings, n), name=f"lml-api-{n}")
        for n in range(settings.api_workers)
    ]
    requested = False

    def stop_all() -> None:
        for process in processes:
            if process.is_alive():
                process.terminate()

    def stop_requested(received: int, frame: FrameType | None) -> None:
        nonlocal requested
        requested = True
        stop_all()

    previous = {received: signal.signal(received, stop_requested) for received in STOP_SIGNALS}
    try:
        for process in processes:
            process.start()
        # One process ending on its own (a failed start-up, a crash) stops the others, so
        # whatever supervises this one sees the failure and restarts the whole API.
        if not requested:
            wait([process.sentinel for process in processes])
        stop_all()
        for process in processes:
            process.join()
    finally:
        for received, handler in previous.items():
            signal.signal(received, handler)
    # A process stopped before it could take the signal itself ends by it: still a stop.
    stopped = {0, -signal.SIGTERM} if requested else {0}
    return all(process.exitcode in stopped for process in processes)


def _serve_on_own_socket(settings: Settings, index: int) -> None:
    family, kind, protocol, _, address = socket.getaddrinfo(
        settings.host, settings.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    listener = socket.socket(family, kind, protocol)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    listener.bind(address)
    listener.listen(LISTEN_BACKLOG)
    raise SystemExit(0 if _serve(settings, sockets=[listener], index=index) else 1)
