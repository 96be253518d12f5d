"""The on-sale rehearsal (bench/onsale.py), small: a few hundred seats and a GA zone, a
few dozen buyers who watch, hold, order, pay (with duplicated, out-of-order and late
webhook deliveries) and abandon, while Redis is frozen and the worker killed; then the
sale audit (lml_testing.sale_audit) straight from PostgreSQL and Redis.

The rehearsal runs as a bench runs, in its own process with its own ``lml api`` (two
processes) and ``lml worker``, on the test servers (a fresh database and key prefix of
its own) and a Redis of its own, which it freezes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lml_testing.redis_process import redis_server_binary

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.skipif(redis_server_binary() is None, reason="needs Debian's redis-server"),
]

BENCH = Path(__file__).resolve().parents[2] / "bench" / "onsale.py"
# A guard against a hung run, not a measure: the rehearsal takes well under a minute.
HANG_SECONDS = 300


def rehearse(tmp_path: Path, postgres_admin_url: str, *options: str) -> dict[str, Any]:
    figures = tmp_path / "onsale.json"
    argv = [sys.executable, str(BENCH), "--postgres", postgres_admin_url]
    # Its own process group, so a hung run is ended with every server it started.
    bench = subprocess.Popen(
        [*argv, "--json", str(figures), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = bench.communicate(timeout=HANG_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(bench.pid, signal.SIGKILL)
        output, _ = bench.communicate()
    assert bench.returncode == 0, output[-8000:]
    result: dict[str, Any] = json.loads(figures.read_text())
    return result


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory: pytest.TempPathFactory, postgres_admin_url: str) -> dict[str, Any]:
    return rehearse(
        tmp_path_factory.mktemp("onsale"),
        postgres_admin_url,
        *("--buyers", "24", "--watchers", "4", "--seats", "240"),
        *("--ga-zones", "1", "--ga-capacity", "30", "--seconds", "5"),
        *("--hold-ttl", "2", "--order-ttl", "3", "--snapshot-every", "3", "--late", "0.3"),
        *("--faults", "redis-stall,worker-kill", "--fault-every", "1.5", "--stall", "1"),
    )


def test_given_an_on_sale_with_redis_frozen_and_the_worker_killed_then_the_audit_is_clean(
    rehearsal: dict[str, Any],
) -> None:
    assert {name: n for name, n in rehearsal["findings"].items() if n} == {}
    assert set(rehearsal["faults"]) == {"redis-stall", "worker-kill"}


def test_given_an_on_sale_then_seats_are_sold_to_paid_orders_and_watchers_saw_them(
    rehearsal: dict[str, Any],
) -> None:
    assert rehearsal["paid_orders"] > 0
    assert rehearsal["statuses"]["hold"]["409"] > 0, "buyers contended for the same seats"
    assert rehearsal["stream_events"] > 0


def test_given_payments_after_their_orders_expired_then_each_is_flagged_for_refund(
    rehearsal: dict[str, Any],
) -> None:
    assert rehearsal["late_payments_sent"] > 0
    # Payments sent in time may come late too, when a fault held them past the order's end.
    assert rehearsal["late_payments_flagged"] >= rehearsal["late_payments_sent"]
