"""Infrastructure layer of the ordering context: PostgreSQL adapters of its ports."""

from lml_ordering.infrastructure.postgres_due_orders import PostgresDueOrders
from lml_ordering.infrastructure.postgres_orders import PostgresOrders
from lml_ordering.infrastructure.postgres_prices import PostgresPrices
from lml_ordering.infrastructure.random_order_ids import RandomOrderIds

__all__ = ["PostgresDueOrders", "PostgresOrders", "PostgresPrices", "RandomOrderIds"]
