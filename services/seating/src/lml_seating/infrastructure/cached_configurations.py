"""Inventory's event configurations kept in memory until PostgreSQL says they changed.

Every revalidation of an availability snapshot reads its event's configuration (version,
zones, channels); it changes a few times a day, or a few times a second on sale. Entries
are dropped by the notifications of migrations/0017 (``changed``), and trusted only while
a listener hears them: from ``listener_up`` until ``listener_down``, as soon as it may
have missed one, which drops every entry and reads inventory until it listens again
(docs/decisions/0014-configuration-cached-until-notified.md).

A read that was under way when its event changed may return the old configuration: it is
answered, never kept. Entries are keyed by organisation and event and filled only by the
tenant-scoped read, so an organisation is only ever answered its own events; events not
found are not kept, so a new event is seen at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from prometheus_client import Counter, Gauge

from lml_metrics import REGISTRY
from lml_seating.application.ports import InventoryConfiguration, InventoryConfigurations
from lml_seating.domain import ZoneCounts

MAX_ENTRIES = 10_000

READS = Counter(
    "lml_seating_configuration_reads_total",
    "Event configurations asked of the in-memory cache: hit, miss (read from PostgreSQL and"
    " kept), or bypass (read from PostgreSQL while no listener hears changes).",
    ("outcome",),
    registry=REGISTRY,
)
_hits = READS.labels("hit")
_misses = READS.labels("miss")
_bypasses = READS.labels("bypass")
INVALIDATIONS = Counter(
    "lml_seating_configuration_invalidations_total",
    "Changes of event configurations heard from PostgreSQL (changed), and times every entry"
    " was dropped because the listener stopped hearing (listener_down).",
    ("reason",),
    registry=REGISTRY,
)
_changed = INVALIDATIONS.labels("changed")
_listener_down = INVALIDATIONS.labels("listener_down")
LISTENING = Gauge(
    "lml_seating_configuration_listener_up",
    "1 while this process hears PostgreSQL's configuration changes (the cache is in use).",
    registry=REGISTRY,
)

_Key = tuple[str, str]


class _Read:
    """A read from inventory under way; ``stale`` once its event changed meanwhile."""

    __slots__ = ("stale",)

    def __init__(self) -> None:
        self.stale = False


class CachedConfigurations:
    def __init__(self, configurations: InventoryConfigurations) -> None:
        self._configurations = configurations
        self._entries: dict[_Key, InventoryConfiguration] = {}
        self._reads: dict[_Key, list[_Read]] = {}
        self._trusted = False

    @property
    def trusted(self) -> bool:
        """Whether a listener hears every change, so entries are kept and used."""
        return self._trusted

    async def configuration(self, org_id: str, event_id: str) -> InventoryConfiguration | None:
        key = (org_id, event_id)
        if not self._trusted:
            _bypasses.inc()
            return await self._configurations.configuration(org_id, event_id)
        if (cached := self._entries.get(key)) is not None:
            _hits.inc()
            return cached
        _misses.inc()
        read = _Read()
        self._reads.setdefault(key, []).append(read)
        try:
            found = await self._configurations.configuration(org_id, event_id)
        finally:
            self._forget(key, read)
        if found is not None and not read.stale:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = found
        return found

    async def zone_counts(
        self, org_id: str, event_id: str, zone_ids: Sequence[str]
    ) -> Sequence[ZoneCounts]:
        # Holds change zone counters without a notification: never kept.
        return await self._configurations.zone_counts(org_id, event_id, zone_ids)

    def listener_up(self) -> None:
        """The listener hears every change committed from now on."""
        self._drop_everything()
        self._trusted = True
        LISTENING.set(1)

    def listener_down(self) -> None:
        """The listener may have missed a change: nothing kept can be trusted."""
        if self._trusted:
            _listener_down.inc()
        self._trusted = False
        self._drop_everything()
        LISTENING.set(0)

    def changed(self, org_id: str, event_id: str) -> None:
        key = (org_id, event_id)
        _changed.inc()
        self._entries.pop(key, None)
        for read in self._reads.get(key, ()):
            read.stale = True

    def _drop_everything(self) -> None:
        self._entries.clear()
        for reads in self._reads.values():
            for read in reads:
                read.stale = True

    def _forget(self, key: _Key, read: _Read) -> None:
        reads = self._reads[key]
        reads.remove(read)
        if not reads:
            del self._reads[key]
