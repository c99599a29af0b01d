from .accounts import MembershipFactory, ShopFactory, UserFactory
from .exports import ExportJobFactory
from .orders import (
    CancellationRequestFactory,
    LineItemFactory,
    OrderFactory,
    PackageFactory,
    ProductFactory,
    ReturnRequestFactory,
    SkuFactory,
    StatusHistoryFactory,
    TrackingEventFactory,
)

__all__ = [
    "CancellationRequestFactory",
    "ExportJobFactory",
    "LineItemFactory",
    "MembershipFactory",
    "OrderFactory",
    "PackageFactory",
    "ProductFactory",
    "ReturnRequestFactory",
    "ShopFactory",
    "SkuFactory",
    "StatusHistoryFactory",
    "TrackingEventFactory",
    "UserFactory",
]
