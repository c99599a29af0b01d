from django.db import models
from django.db.models import F
from django.db.models.functions import Cast, Length, Lower
from django.db.models.lookups import Exact, GreaterThan

from orders.ids import platform_id
from orders.statuses import (
    ActorKind,
    DeliveryOption,
    FulfillmentType,
    OrderStatus,
    PaymentMethod,
)

from .money import MoneyField

# Billing and shipping address differ in country, postcode or first line: 1 or 0. Cast to an integer so
# that a query can compare it (= 1) and SQLite seek it in the index below; a bare boolean it would not.
ADDRESSES_DIFFER = Cast(
    models.ExpressionWrapper(
        ~models.Q(bill_country=F("ship_country"))
        | ~models.Q(bill_postcode=F("ship_postcode"))
        | ~models.Q(bill_line1=F("ship_line1")),
        output_field=models.BooleanField(),
    ),
    models.IntegerField(),
)


class Order(models.Model):
    """One buyer order in one shop. Times are UTC; money is Decimal in `currency`."""

    id = models.BigIntegerField(primary_key=True, default=platform_id, editable=False)
    shop = models.ForeignKey("accounts.Shop", on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(max_length=32, choices=OrderStatus.choices, default=OrderStatus.UNPAID)

    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    rts_sla_at = models.DateTimeField("ship-by deadline", null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    cancellation_initiator = models.CharField(max_length=16, choices=ActorKind.choices, blank=True)

    buyer_user_id = models.CharField(max_length=32)
    buyer_nickname = models.CharField(max_length=64, blank=True)
    buyer_name = models.CharField(max_length=128)
    buyer_email = models.CharField(max_length=254, blank=True)
    buyer_phone = models.CharField(max_length=32, blank=True)
    buyer_message = models.TextField(blank=True)
    seller_note = models.TextField(blank=True, help_text="The latest seller note, as the platform shows it.")

    ship_name = models.CharField("recipient", max_length=128)
    ship_phone = models.CharField("recipient phone", max_length=32, blank=True)
    ship_country = models.CharField("ship-to country", max_length=2)
    ship_state = models.CharField("ship-to state", max_length=100, blank=True)
    ship_city = models.CharField("ship-to city", max_length=100, blank=True)
    ship_district = models.CharField(max_length=100, blank=True)
    ship_postcode = models.CharField(max_length=20, blank=True)
    ship_line1 = models.CharField(max_length=200)
    ship_line2 = models.CharField(max_length=200, blank=True)

    bill_name = models.CharField("billing name", max_length=128, blank=True)
    bill_country = models.CharField("billing country", max_length=2, blank=True)
    bill_state = models.CharField(max_length=100, blank=True)
    bill_city = models.CharField(max_length=100, blank=True)
    bill_postcode = models.CharField(max_length=20, blank=True)
    bill_line1 = models.CharField(max_length=200, blank=True)
    bill_line2 = models.CharField(max_length=200, blank=True)

    payment_method = models.CharField(max_length=32, choices=PaymentMethod.choices)
    fulfillment_type = models.CharField(
        max_length=32, choices=FulfillmentType.choices, default=FulfillmentType.BY_SELLER
    )
    delivery_option = models.CharField(max_length=16, choices=DeliveryOption.choices, default=DeliveryOption.STANDARD)
    carrier = models.CharField(
        max_length=64,
        blank=True,
        help_text="The order's carrier (one per order), kept here so the list filters by it through an index.",
    )

    currency = models.CharField(max_length=3)
    original_product_total = MoneyField(help_text="Sum of original unit price x quantity.")
    seller_discount = MoneyField()
    platform_discount = MoneyField()
    subtotal = MoneyField(help_text="Products after discounts: original total - seller - platform discount.")
    original_shipping_fee = MoneyField()
    shipping_fee = MoneyField(help_text="Shipping charged to the buyer, after shipping discounts.")
    tax = MoneyField()
    total = MoneyField(help_text="subtotal + shipping fee + tax.")
    refunded_amount = MoneyField(help_text="Sum of successful refunds; never above the total.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["shop", "status", "created_at", "id"], name="order_shop_status_created_id"),
            models.Index(fields=["shop", "paid_at"], name="order_shop_paid"),
            models.Index(fields=["shop", "updated_at"], name="order_shop_updated"),
            models.Index(fields=["created_at", "id"], name="order_created_id"),
            models.Index(fields=["buyer_name"], name="order_buyer_name"),
            models.Index(fields=["buyer_email"], name="order_buyer_email"),
            models.Index(fields=["buyer_user_id"], name="order_buyer_user"),
            models.Index(fields=["shop", "ship_postcode", "ship_line1"], name="order_ship_address"),
            # one per list filter and sort, each led by the shop so a shop's page is an index range
            models.Index(fields=["shop", "total"], name="order_shop_total"),
            models.Index(fields=["shop", "rts_sla_at"], name="order_shop_ship_by"),
            models.Index(fields=["shop", "payment_method", "created_at"], name="order_shop_payment_created"),
            models.Index(fields=["shop", "ship_country", "created_at"], name="order_shop_country_created"),
            models.Index(fields=["shop", "carrier", "created_at"], name="order_shop_carrier_created"),
            models.Index(F("shop"), Lower("ship_state"), F("created_at"), name="order_shop_state_created"),
            models.Index(F("shop"), Lower("ship_city"), F("created_at"), name="order_shop_city_created"),
            # tab badges under a filter: (shop, status, column) counts a status's matches in the index alone,
            # where the filter's own index would look up every match's status in the table
            models.Index(fields=["shop", "status", "payment_method"], name="order_shop_status_payment"),
            models.Index(fields=["shop", "status", "carrier"], name="order_shop_status_carrier"),
            models.Index(fields=["shop", "status", "total"], name="order_shop_status_total"),
            models.Index(fields=["shop", "status", "paid_at"], name="order_shop_status_paid"),
            models.Index(F("shop"), F("status"), Lower("ship_city"), name="order_shop_status_city"),
            # "To ship" by ship-by deadline, and "Shipping overdue": a status's deadlines (and ids) in order
            models.Index(fields=["shop", "status", "rts_sla_at", "id"], name="order_shop_status_ship_by"),
            models.Index(fields=["shop", "status", "refunded_amount"], name="order_shop_status_refunded"),
            # a search's matches read by id (buyer-name FTS rowids, ids read first): their shop, status and
            # created time (the default sort key) from the index alone, not from each order's wide row
            models.Index(fields=["id", "shop", "status", "created_at"], name="order_id_shop_status_created"),
            # a shop's page in list order (created, id) from the index alone; with the refunded amount, as
            # refunds are on older orders far down the list: walking to them needs no table lookups
            models.Index(fields=["shop", "created_at", "id", "refunded_amount"], name="order_shop_created_refunded"),
            # "Has buyer message" and "Billing differs" as index expressions (written alike below)
            models.Index(F("shop"), F("status"), Length("buyer_message"), name="order_shop_status_message"),
            models.Index(
                F("shop"), F("status"), ADDRESSES_DIFFER, Length("bill_line1"), name="order_shop_status_billing"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=OrderStatus.values), name="order_status_known"),
            models.CheckConstraint(condition=models.Q(total__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(
                condition=models.Q(refunded_amount__gte=0, refunded_amount__lte=models.F("total")),
                name="order_refund_within_total",
            ),
        ]

    def __str__(self):
        return str(self.id)

    @property
    def billing_differs(self) -> bool:
        """In Python what BILLING_DIFFERS (below) says in SQL."""
        ship = (self.ship_country, self.ship_postcode, self.ship_line1)
        bill = (self.bill_country, self.bill_postcode, self.bill_line1)
        return bool(self.bill_line1) and ship != bill

    def money_is_consistent(self) -> bool:
        """The money invariants every order keeps (checked by tests and the seed command)."""
        return (
            self.subtotal == self.original_product_total - self.seller_discount - self.platform_discount
            and self.total == self.subtotal + self.shipping_fee + self.tax
            and self.refunded_amount <= self.total
        )


# A billing address was given and it is not the shipping one (country, postcode or first line); written
# on the expressions of the (shop, status, ...) index above, so that a tab count reads the index alone.
BILLING_DIFFERS = models.Q(GreaterThan(Length("bill_line1"), 0)) & models.Q(Exact(ADDRESSES_DIFFER, 1))
# A buyer message was left; likewise on its index expression.
HAS_MESSAGE = models.Q(GreaterThan(Length("buyer_message"), 0))

# `ship_state__lower="reno"` compares LOWER(column): the expression indexes above serve it.
for _name in ("ship_state", "ship_city"):
    Order._meta.get_field(_name).register_lookup(Lower)
