from .accounts import AuditEventFactory, MembershipFactory, ShopFactory, UserFactory
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
from .partner_api import ApiAppFactory, GrantFactory, WebhookDeliveryFactory

__all__ = [
    "ApiAppFactory",
    "AuditEventFactory",
    "CancellationRequestFactory",
    "ExportJobFactory",
    "GrantFactory",
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
    "WebhookDeliveryFactory",
]
