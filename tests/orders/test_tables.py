"""OrderTable.html() writes the same markup as django-tables2's `{% render_table %}`, only faster."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from orders.masking import PiiAccess
from orders.models import Order
from orders.statuses import OrderStatus
from orders.tables import OrderTable
from tests.factories import LineItemFactory, OrderFactory, PackageFactory

pytestmark = pytest.mark.django_db


def library_html(rows, **kwargs):
    table = OrderTable(rows, **kwargs)
    request = RequestFactory().get("/orders/")
    return Template("{% load django_tables2 %}{% render_table table %}").render(
        Context({"table": table, "request": request})
    )


def rows_of(orders):
    return list(
        Order.objects.filter(pk__in=[o.pk for o in orders])
        .select_related("shop")
        .prefetch_related("lines", "packages")
        .order_by("-created_at", "-id")
    )


@pytest.mark.parametrize("selectable", [True, False])
@pytest.mark.parametrize("pii", [True, False])
def test_html_is_what_render_table_writes(shop, selectable, pii):
    now = timezone.now()
    orders = [
        OrderFactory(shop=shop, buyer_name='Zoë <b>&</b> "Quote"', buyer_nickname="z&z"),
        OrderFactory(shop=shop, buyer_name="", payment_method="COD", status=OrderStatus.UNPAID, paid_at=None),
        OrderFactory(shop=shop, rts_sla_at=now - timedelta(hours=2)),  # overdue
        OrderFactory(shop=shop, status=OrderStatus.CANCELLED, created_at=now - timedelta(days=3)),
    ]
    LineItemFactory(order=orders[0], product_name="Tee <script>", sku_name="")
    PackageFactory(order=orders[3], carrier="J&T Express")
    PackageFactory(order=orders[3])
    rows = rows_of(orders)
    access = PiiAccess(frozenset({shop.pk} if pii else ()), frozenset({shop.pk} if pii else ()))
    kwargs = {"access": access, "now": now, "selectable": selectable}
    assert OrderTable(rows, **kwargs).html() == library_html(rows, **kwargs)


def test_empty_table_is_what_render_table_writes(shop):
    kwargs = {"access": PiiAccess(frozenset(), frozenset()), "now": timezone.now()}
    for selectable in (True, False):
        assert OrderTable([], selectable=selectable, **kwargs).html() == library_html(
            [], selectable=selectable, **kwargs
        )
