from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from orders.models import (
    CancellationRequest,
    LineItem,
    Order,
    Package,
    Product,
    ReturnRequest,
    Sku,
    StatusHistory,
    TrackingEvent,
)
from orders.statuses import ActorKind, OrderStatus, PackageStatus, ReturnType

from .accounts import ShopFactory


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    shop = factory.SubFactory(ShopFactory)
    product_id = factory.Sequence(lambda n: f"1729{n:012d}")
    name = factory.Faker("catch_phrase")
    category = "Apparel"


class SkuFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sku

    product = factory.SubFactory(ProductFactory)
    sku_id = factory.Sequence(lambda n: f"1730{n:012d}")
    seller_sku = factory.Sequence(lambda n: f"TEE-BLK-M-{n:03d}")
    color = "Black"
    size = "M"
    price = Decimal("25.00")


class OrderFactory(factory.django.DjangoModelFactory):
    """A paid order awaiting shipment with one line; money consistent by default."""

    class Meta:
        model = Order
        skip_postgeneration_save = True

    shop = factory.SubFactory(ShopFactory)
    status = OrderStatus.AWAITING_SHIPMENT
    created_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=5))
    updated_at = factory.LazyAttribute(lambda o: o.created_at + timedelta(hours=1))
    paid_at = factory.LazyAttribute(lambda o: o.created_at + timedelta(minutes=3))
    rts_sla_at = factory.LazyAttribute(lambda o: o.paid_at + timedelta(hours=72) if o.paid_at else None)
    buyer_user_id = factory.Sequence(lambda n: f"7{n:017d}")
    buyer_nickname = factory.Sequence(lambda n: f"buyer{n}")
    buyer_name = factory.Faker("name")
    buyer_email = factory.Sequence(lambda n: f"buyer{n}@example.com")
    buyer_phone = "+1 213 555 0188"
    ship_name = factory.SelfAttribute("buyer_name")
    ship_phone = factory.SelfAttribute("buyer_phone")
    ship_country = "US"
    ship_state = "California"
    ship_city = "Los Angeles"
    ship_postcode = "90012"
    ship_line1 = "200 N Spring St"
    bill_name = factory.SelfAttribute("buyer_name")
    bill_country = factory.SelfAttribute("ship_country")
    bill_state = factory.SelfAttribute("ship_state")
    bill_city = factory.SelfAttribute("ship_city")
    bill_postcode = factory.SelfAttribute("ship_postcode")
    bill_line1 = factory.SelfAttribute("ship_line1")
    payment_method = "CARD"
    currency = factory.SelfAttribute("shop.currency")
    original_product_total = Decimal("50.00")
    seller_discount = Decimal("0.00")
    platform_discount = Decimal("0.00")
    subtotal = factory.LazyAttribute(lambda o: o.original_product_total - o.seller_discount - o.platform_discount)
    original_shipping_fee = Decimal("5.99")
    shipping_fee = Decimal("5.99")
    tax = Decimal("0.00")
    total = factory.LazyAttribute(lambda o: o.subtotal + o.shipping_fee + o.tax)
    refunded_amount = Decimal("0.00")

    line = factory.RelatedFactory(
        "tests.factories.orders.LineItemFactory",
        factory_related_name="order",
        quantity=1,
        original_price=factory.SelfAttribute("..original_product_total"),
        sale_price=factory.LazyAttribute(
            lambda li: li.factory_parent.original_product_total - li.factory_parent.seller_discount
        ),
        seller_discount=factory.SelfAttribute("..seller_discount"),
        platform_discount=factory.SelfAttribute("..platform_discount"),
        status=factory.SelfAttribute("..status"),
    )


class LineItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LineItem

    order = factory.SubFactory(OrderFactory, line=None)
    product_id = factory.Sequence(lambda n: f"1729{n:012d}")
    product_name = "Oversized Cotton Tee"
    sku_id = factory.Sequence(lambda n: f"1730{n:012d}")
    seller_sku = factory.Sequence(lambda n: f"OCT-BLK-M-{n:03d}")
    sku_name = "Black, M"
    color = "Black"
    size = "M"
    quantity = 1
    original_price = Decimal("50.00")
    sale_price = Decimal("50.00")
    seller_discount = Decimal("0.00")
    platform_discount = Decimal("0.00")
    status = factory.SelfAttribute("order.status")


class PackageFactory(factory.django.DjangoModelFactory):
    """Keeps Order.carrier as the services do: the carrier of the order's first package."""

    class Meta:
        model = Package
        skip_postgeneration_save = True

    order = factory.SubFactory(OrderFactory, status=OrderStatus.IN_TRANSIT)
    carrier = "USPS"
    tracking_number = factory.Sequence(lambda n: f"9400{n:018d}")
    status = PackageStatus.IN_TRANSIT
    created_at = factory.LazyAttribute(lambda p: p.order.created_at + timedelta(hours=10))
    shipped_at = factory.LazyAttribute(lambda p: p.created_at + timedelta(hours=6))

    @factory.post_generation
    def first_carrier(package, create, extracted, **kwargs):
        if create and not package.order.carrier:
            Order.objects.filter(pk=package.order_id).update(carrier=package.carrier)
            package.order.carrier = package.carrier


class TrackingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrackingEvent

    package = factory.SubFactory(PackageFactory)
    at = factory.LazyAttribute(lambda e: e.package.shipped_at or e.package.created_at)
    location = "Los Angeles sorting centre"
    description = "Arrived at sorting centre"


class StatusHistoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusHistory

    order = factory.SubFactory(OrderFactory)
    from_status = OrderStatus.UNPAID
    to_status = OrderStatus.ON_HOLD
    at = factory.LazyAttribute(lambda h: h.order.created_at + timedelta(minutes=3))
    actor_kind = ActorKind.BUYER


class CancellationRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CancellationRequest

    order = factory.SubFactory(OrderFactory)
    reason = "No longer needed"
    requested_at = factory.LazyAttribute(lambda c: c.order.created_at + timedelta(hours=2))


class ReturnRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnRequest

    order = factory.SubFactory(OrderFactory, status=OrderStatus.DELIVERED)
    return_type = ReturnType.REFUND
    reason = "Damaged on arrival"
    refund_amount = Decimal("10.00")
    requested_at = factory.LazyAttribute(lambda r: r.order.created_at + timedelta(days=5))
