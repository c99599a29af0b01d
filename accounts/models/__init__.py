from .audit import AuditEvent, AuditKind
from .security import SecurityProfile
from .shops import SHOP_CODE_PREFIX, Membership, Shop, ShopUserPermission, new_shop_code, validate_time_zone

__all__ = [
    "AuditEvent",
    "AuditKind",
    "Membership",
    "SHOP_CODE_PREFIX",
    "SecurityProfile",
    "Shop",
    "ShopUserPermission",
    "new_shop_code",
    "validate_time_zone",
]
