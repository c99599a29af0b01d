from .after_sales import CancellationRequest, ReturnRequest
from .catalog import Product, Sku
from .history import StatusHistory
from .line_item import LineItem
from .order import Order
from .package import Package, TrackingEvent

__all__ = [
    "CancellationRequest",
    "LineItem",
    "Order",
    "Package",
    "Product",
    "ReturnRequest",
    "Sku",
    "StatusHistory",
    "TrackingEvent",
]
