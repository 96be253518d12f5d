"""Serve the API with uvicorn until SIGTERM or SIGINT, letting in-flight requests finish."""

from __future__ import annotations

import asyncio
import signal

import uvicorn

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def serve_until_stopped(server: uvicorn.Server) -> bool:
    """Run ``server``; return whether it started (False: its lifespan start-up failed).

    uvicorn handles the stop signals while it serves and re-raises them once it has shut
    down gracefully. Making its own handler the process's handler too covers a signal that
    arrives before it starts serving, and makes that re-raise a no-op, so a requested stop
    ends the process with status 0 instead of being killed by the signal.
    """
    previous = {received: signal.signal(received, server.handle_exit) for received in STOP_SIGNALS}
    try:
        asyncio.run(server.serve())
    finally:
        for received, handler in previous.items():
            signal.signal(received, handler)
    return server.started
