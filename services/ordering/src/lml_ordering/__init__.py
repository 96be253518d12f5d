"""Orders from holds, lifecycle, audit log."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lml_clocks import SystemClock
    from lml_ordering.application import Clock, HoldConversion, OrderIds, Orders, Prices
    from lml_ordering.fakes import (
        FakeHoldConversion,
        FakePrices,
        InMemoryOrders,
        ManualClock,
        SequentialOrderIds,
    )
    from lml_ordering.infrastructure import (
        PostgresOrders,
        PostgresPrices,
        RandomOrderIds,
    )

    def _every_adapter_fits_its_port(
        memory_orders: InMemoryOrders,
        postgres_orders: PostgresOrders,
        memory_prices: FakePrices,
        postgres_prices: PostgresPrices,
        fake_conversion: FakeHoldConversion,
        manual_clock: ManualClock,
        system_clock: SystemClock,
        sequential: SequentialOrderIds,
        random: RandomOrderIds,
    ) -> tuple[list[Orders], list[Prices], list[HoldConversion], list[Clock], list[OrderIds]]:
        return (
            [memory_orders, postgres_orders],
            [memory_prices, postgres_prices],
            [fake_conversion],
            [manual_clock, system_clock],
            [sequential, random],
        )
