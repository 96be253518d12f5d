"""Holds, GA pools, availability."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lml_clocks import SystemClock
    from lml_seating.application import (
        AvailabilityEvents,
        Clock,
        ExpiryQueue,
        HoldConversions,
        HoldIdentities,
        HoldLocks,
        HoldRules,
        Inventory,
        InventoryConfigurations,
        LiveLocks,
        OrderLocks,
    )
    from lml_seating.fakes import (
        InMemoryAvailabilityEvents,
        InMemoryInventory,
        InMemoryLockStore,
        ManualClock,
        SequentialHoldIdentities,
    )
    from lml_seating.infrastructure import (
        CachedConfigurations,
        CachedHoldRules,
        MeteredExpiryQueue,
        MeteredHoldLocks,
        PostgresHoldConversion,
        PostgresHoldRules,
        PostgresInventory,
        RandomHoldIdentities,
        RedisAvailabilityEvents,
        RedisExpiryQueue,
        RedisHoldLocks,
        RedisLiveLocks,
        RedisOrderLocks,
    )

    def _every_adapter_fits_its_port(
        memory_locks: InMemoryLockStore,
        redis_locks: RedisHoldLocks,
        metered_locks: MeteredHoldLocks,
        redis_expiries: RedisExpiryQueue,
        metered_expiries: MeteredExpiryQueue,
        redis_live: RedisLiveLocks,
        memory_events: InMemoryAvailabilityEvents,
        redis_events: RedisAvailabilityEvents,
        memory_inventory: InMemoryInventory,
        postgres_inventory: PostgresInventory,
        cached_configurations: CachedConfigurations,
        postgres_rules: PostgresHoldRules,
        cached_rules: CachedHoldRules,
        manual_clock: ManualClock,
        system_clock: SystemClock,
        sequential: SequentialHoldIdentities,
        random: RandomHoldIdentities,
    ) -> tuple[
        list[HoldLocks],
        list[ExpiryQueue],
        list[LiveLocks],
        list[AvailabilityEvents],
        list[Inventory],
        list[InventoryConfigurations],
        list[HoldRules],
        list[Clock],
        list[HoldIdentities],
    ]:
        return (
            [memory_locks, redis_locks, metered_locks],
            [memory_locks, redis_expiries, metered_expiries],
            [memory_locks, redis_live],
            [memory_events, redis_events],
            [memory_inventory, postgres_inventory],
            [memory_inventory, postgres_inventory, cached_configurations],
            [memory_inventory, postgres_rules, cached_rules],
            [manual_clock, system_clock],
            [sequential, random],
        )

    def _order_adapters_fit_their_ports(
        memory_locks: InMemoryLockStore,
        redis_orders: RedisOrderLocks,
        postgres_conversion: PostgresHoldConversion,
    ) -> tuple[list[OrderLocks], list[HoldConversions]]:
        return ([memory_locks, redis_orders], [postgres_conversion])
