"""Application layer of the ordering context: use cases and their ports."""

from lml_ordering.application.cancel_order import CancelOrder, cancel_order
from lml_ordering.application.place_order import PlaceOrder, place_order
from lml_ordering.application.ports import (
    Clock,
    ConversionRefusal,
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
    "CancelOrder",
    "Clock",
    "ConversionRefusal",
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
    "get_order",
    "list_orders",
    "place_order",
]
