from .accounts import MembershipFactory, ShopFactory, UserFactory
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
