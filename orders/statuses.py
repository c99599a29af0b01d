"""Order statuses of the platform and the table of legal transitions between them."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import models

from accounts.roles import Perm


class OrderStatus(models.TextChoices):
    UNPAID = "UNPAID", "Unpaid"
    ON_HOLD = "ON_HOLD", "On hold"
    AWAITING_SHIPMENT = "AWAITING_SHIPMENT", "Awaiting shipment"
    PARTIALLY_SHIPPING = "PARTIALLY_SHIPPING", "Partially shipping"
    AWAITING_COLLECTION = "AWAITING_COLLECTION", "Awaiting collection"
    IN_TRANSIT = "IN_TRANSIT", "In transit"
    DELIVERED = "DELIVERED", "Delivered"
    COMPLETED = "COMPLETED", "Completed"
    CANCELLED = "CANCELLED", "Cancelled"


S = OrderStatus

# from-status -> statuses it may move to. Anything else is refused.
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.UNPAID: frozenset({S.ON_HOLD, S.CANCELLED}),
    # ON_HOLD is the short window after payment in which the buyer may still cancel freely.
    S.ON_HOLD: frozenset({S.AWAITING_SHIPMENT, S.CANCELLED}),
    S.AWAITING_SHIPMENT: frozenset({S.PARTIALLY_SHIPPING, S.AWAITING_COLLECTION, S.CANCELLED}),
    S.PARTIALLY_SHIPPING: frozenset({S.AWAITING_COLLECTION, S.IN_TRANSIT}),
    S.AWAITING_COLLECTION: frozenset({S.IN_TRANSIT, S.CANCELLED}),
    S.IN_TRANSIT: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}

FINAL_STATUSES = frozenset(s for s, targets in TRANSITIONS.items() if not targets)
PAID_STATUSES = frozenset(set(OrderStatus) - {S.UNPAID} - {S.CANCELLED})
SHIPPED_STATUSES = frozenset({S.IN_TRANSIT, S.DELIVERED, S.COMPLETED})


def can_transition(from_status, to_status) -> bool:
    return OrderStatus(to_status) in TRANSITIONS[OrderStatus(from_status)]


class ActorKind(models.TextChoices):
    BUYER = "BUYER", "Buyer"
    SELLER = "SELLER", "Seller"
    SYSTEM = "SYSTEM", "System"
    CARRIER = "CARRIER", "Carrier"
    PLATFORM = "PLATFORM", "Platform"


class CancellationStatus(models.TextChoices):
    PENDING = "CANCELLATION_REQUEST_PENDING", "Cancellation requested"
    SUCCESS = "CANCELLATION_REQUEST_SUCCESS", "Cancellation approved"
    CANCEL = "CANCELLATION_REQUEST_CANCEL", "Cancellation rejected or withdrawn"
    COMPLETE = "CANCELLATION_REQUEST_COMPLETE", "Cancellation completed"


class ReturnType(models.TextChoices):
    REFUND = "REFUND", "Refund only"
    RETURN_AND_REFUND = "RETURN_AND_REFUND", "Return and refund"
    REPLACEMENT = "REPLACEMENT", "Replacement"
    EXCHANGE = "EXCHANGE", "Exchange"


class ReturnStatus(models.TextChoices):
    PENDING = "RETURN_OR_REFUND_REQUEST_PENDING", "Request pending"
    AWAITING_BUYER_SHIP = "AWAITING_BUYER_SHIP", "Awaiting buyer shipment"
    BUYER_SHIPPED_ITEM = "BUYER_SHIPPED_ITEM", "Buyer shipped item"
    SUCCESS = "RETURN_OR_REFUND_REQUEST_SUCCESS", "Refunded"
    REJECT = "REFUND_OR_RETURN_REQUEST_REJECT", "Rejected"


OPEN_RETURN_STATUSES = frozenset(
    {ReturnStatus.PENDING, ReturnStatus.AWAITING_BUYER_SHIP, ReturnStatus.BUYER_SHIPPED_ITEM}
)


class PaymentMethod(models.TextChoices):
    CARD = "CARD", "Credit/debit card"
    PAYPAL = "PAYPAL", "PayPal"
    APPLE_PAY = "APPLE_PAY", "Apple Pay"
    GOOGLE_PAY = "GOOGLE_PAY", "Google Pay"
    BANK_TRANSFER = "BANK_TRANSFER", "Bank transfer"
    E_WALLET = "E_WALLET", "E-wallet"
    PAY_LATER = "PAY_LATER", "Pay later"
    COD = "COD", "Cash on delivery"


class FulfillmentType(models.TextChoices):
    BY_SELLER = "FULFILLMENT_BY_SELLER", "Fulfilled by seller"
    BY_PLATFORM = "FULFILLMENT_BY_TIKTOK", "Fulfilled by platform"


class DeliveryOption(models.TextChoices):
    STANDARD = "STANDARD", "Standard shipping"
    EXPRESS = "EXPRESS", "Express shipping"
    ECONOMY = "ECONOMY", "Economy shipping"


class PackageStatus(models.TextChoices):
    PROCESSING = "PROCESSING", "Awaiting collection"
    IN_TRANSIT = "IN_TRANSIT", "In transit"
    DELIVERED = "DELIVERED", "Delivered"
    CANCELLED = "CANCELLED", "Cancelled"


# -- Seller actions ------------------------------------------------------------------------------
# Which statuses each action starts from, where it leads, and the shop permission it needs.
# Services refuse anything outside this table; the detail page offers only what it allows.


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    perm: Perm
    sources: frozenset
    target: OrderStatus | None  # None: the order's status does not change


_SHIPPABLE = frozenset({S.AWAITING_SHIPMENT, S.PARTIALLY_SHIPPING})
_CANCELLABLE = frozenset({S.UNPAID, S.ON_HOLD, S.AWAITING_SHIPMENT, S.AWAITING_COLLECTION})
_PAID = frozenset(PAID_STATUSES)
_ANY = frozenset(OrderStatus)

ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("arrange_shipment", "Arrange shipment", Perm.ARRANGE_SHIPMENT, _SHIPPABLE, S.AWAITING_COLLECTION),
        Action(
            "mark_collected",
            "Carrier collected",
            Perm.ARRANGE_SHIPMENT,
            frozenset({S.AWAITING_COLLECTION}),
            S.IN_TRANSIT,
        ),
        Action("mark_delivered", "Carrier delivered", Perm.ARRANGE_SHIPMENT, frozenset({S.IN_TRANSIT}), S.DELIVERED),
        Action("mark_completed", "Complete order", Perm.ARRANGE_SHIPMENT, frozenset({S.DELIVERED}), S.COMPLETED),
        Action("cancel", "Cancel order", Perm.CANCEL_ORDERS, _CANCELLABLE, S.CANCELLED),
        Action("approve_cancellation", "Approve cancellation", Perm.CANCEL_ORDERS, _CANCELLABLE, S.CANCELLED),
        Action("reject_cancellation", "Reject cancellation", Perm.CANCEL_ORDERS, _ANY, None),
        Action("refund", "Refund", Perm.HANDLE_AFTER_SALES, _PAID | {S.CANCELLED}, None),
        Action("approve_return", "Approve return/refund", Perm.HANDLE_AFTER_SALES, _ANY, None),
        Action("reject_return", "Reject return/refund", Perm.HANDLE_AFTER_SALES, _ANY, None),
        Action("add_note", "Add note", Perm.CONTACT_BUYERS, _ANY, None),
        Action("message_buyer", "Message buyer", Perm.CONTACT_BUYERS, _ANY, None),
    )
}

# The platform's clock: when unpaid orders lapse, how long the buyer may cancel freely, the
# ship-by deadline per delivery option, and the return window after delivery.
UNPAID_AUTO_CANCEL = timedelta(hours=48)
ON_HOLD_WINDOW = timedelta(hours=1)
RETURN_WINDOW = timedelta(days=7)

CANCEL_REASONS = (
    "Out of stock",
    "Pricing error",
    "Unable to deliver to the buyer's address",
    "Buyer asked to cancel",
    "Suspected fraud",
)

SHIP_WITHIN = {
    DeliveryOption.STANDARD: timedelta(hours=72),
    DeliveryOption.ECONOMY: timedelta(hours=96),
    DeliveryOption.EXPRESS: timedelta(hours=48),
}
