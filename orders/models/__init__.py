from .after_sales import CancellationRequest, ReturnRequest
from .buyer_word import BuyerWord, StaleBuyerWords
from .catalog import Product, Sku
from .conversation import NoteColor, OrderMessage, OrderNote
from .history import StatusHistory
from .line_item import LineItem
from .order import Order
from .package import Package, TrackingEvent

__all__ = [
    "BuyerWord",
    "CancellationRequest",
    "LineItem",
    "NoteColor",
    "Order",
    "OrderMessage",
    "OrderNote",
    "Package",
    "Product",
    "ReturnRequest",
    "Sku",
    "StaleBuyerWords",
    "StatusHistory",
    "TrackingEvent",
]
