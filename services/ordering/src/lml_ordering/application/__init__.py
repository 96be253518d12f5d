"""Application layer of the ordering context: use cases and their ports."""

from lml_ordering.application.end_order import (
    EXPIRER,
    CancelOrder,
    cancel_order,
    end_order,
    expire_due_orders,
)
from lml_ordering.application.place_order import PlaceOrder, place_order
from lml_ordering.application.ports import (
    Clock,
    ConversionRefusal,
    DueOrder,
    DueOrders,
    HoldConversion,
    OrderIds,
    OrderQuery,
    Orders,
    OrderWork,
    OrderWorkFactory,
    Prices,
)
from lml_ordering.application.read_orders import OrderPage, get_order, list_orders

__all__ = [
    "EXPIRER",
    "CancelOrder",
    "Clock",
    "ConversionRefusal",
    "DueOrder",
    "DueOrders",
    "HoldConversion",
    "OrderIds",
    "OrderPage",
    "OrderQuery",
    "OrderWork",
    "OrderWorkFactory",
    "Orders",
    "PlaceOrder",
    "Prices",
    "cancel_order",
    "end_order",
    "expire_due_orders",
    "get_order",
    "list_orders",
    "place_order",
]
