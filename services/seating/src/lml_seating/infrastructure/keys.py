"""Redis key names. Every key of one event shares the hash tag ``{<event id>}``, so each
script touches a single Cluster slot and runs on Redis Cluster unchanged."""

from __future__ import annotations

from lml_redis_scripts import checked_key_prefix


class SeatingKeys:
    def __init__(self, prefix: str) -> None:
        self._prefix = checked_key_prefix(prefix)
        # Not tagged: the sweeper's index of events that have had holds lately.
        self.registry = f"{prefix}:seating:events"

    def event(self, event_id: str) -> str:
        return f"{self._prefix}:{{{event_id}}}"

    def seat(self, event_id: str, seat_id: str) -> str:
        return f"{self.event(event_id)}:seat:{seat_id}"

    def zone(self, event_id: str, zone_id: str) -> str:
        return f"{self.event(event_id)}:zone:{zone_id}"

    def hold(self, event_id: str, hold_id: str) -> str:
        return f"{self.event(event_id)}:hold:{hold_id}"

    def expiries(self, event_id: str) -> str:
        return f"{self.event(event_id)}:expiries"

    def stream(self, event_id: str) -> str:
        return f"{self.event(event_id)}:events"
