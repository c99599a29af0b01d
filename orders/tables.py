"""The Manage Orders table (django-tables2): columns and how each cell reads."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .templatetags.seller_center import money, shoptime, status_badge


class OrderTable(tables.Table):
    select = tables.TemplateColumn(
        '<input type="checkbox" name="order" value="{{ record.pk }}" form="bulk-form" '
        'aria-label="Select order {{ record.pk }}" class="row-select">',
        verbose_name=mark_safe('<input type="checkbox" id="select-page" hidden aria-label="Select this page">'),
        orderable=False, attrs={"th": {"class": "col-select"}})
    order_id = tables.Column(accessor="pk", verbose_name="Order ID", orderable=False)
    created = tables.Column(accessor="created_at", verbose_name="Created (shop time)", orderable=False)
    buyer = tables.Column(accessor="buyer_name", verbose_name="Buyer", orderable=False)
    items = tables.Column(accessor="pk", verbose_name="Items", orderable=False, empty_values=())
    total = tables.Column(verbose_name="Total", orderable=False, attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    payment = tables.Column(accessor="payment_method", verbose_name="Payment", orderable=False)
    status = tables.Column(verbose_name="Status", orderable=False)
    ship_by = tables.Column(accessor="rts_sla_at", verbose_name="Ship by", orderable=False, empty_values=())
    shipping = tables.Column(accessor="pk", verbose_name="Carrier / tracking", orderable=False, empty_values=())

    class Meta:
        attrs = {"class": "grid orders-table"}
        template_name = "django_tables2/table.html"
        empty_text = "No orders match these filters."
        show_header = True

    def __init__(self, *args, access, now=None, selectable=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not selectable:
            self.columns.hide("select")
        self.access = access
        self.now = now or timezone.now()

    def render_order_id(self, record):
        return format_html('<a class="order-link" href="{}">{}</a><div class="sub">{}</div>',
                           reverse("order_detail", args=[record.pk]), record.pk, record.shop.name)

    def render_created(self, record):
        return shoptime(record.created_at, record.shop)

    def render_buyer(self, record):
        buyer = self.access.buyer(record)
        return format_html('{}<div class="sub">{}</div>', buyer.name, buyer.nickname)

    def render_items(self, record):
        lines = list(record.lines.all())
        if not lines:
            return "—"
        first = lines[0]
        more = format_html(" · <strong>+{} more</strong>", len(lines) - 1) if len(lines) > 1 else ""
        return format_html('<span class="item-name">{}</span><div class="sub">{} × {}{}</div>',
                           first.product_name, first.sku_name or "—", first.quantity, more)

    def render_total(self, record):
        return money(record.total, record.currency)

    def render_payment(self, record):
        return record.get_payment_method_display()

    def render_status(self, record):
        return status_badge(record.status)

    def render_ship_by(self, record):
        if not record.rts_sla_at:
            return "—"
        overdue = record.status in ("AWAITING_SHIPMENT", "PARTIALLY_SHIPPING") and record.rts_sla_at < self.now
        cell = shoptime(record.rts_sla_at, record.shop)
        return format_html('<span class="overdue" title="Shipping overdue">{} ⚠ Overdue</span>', cell) if overdue \
            else cell

    def render_shipping(self, record):
        packages = list(record.packages.all())
        if not packages:
            return "—"
        first = packages[0]
        more = f" +{len(packages) - 1}" if len(packages) > 1 else ""
        return format_html('{}<div class="sub mono">{}{}</div>', first.carrier, first.tracking_number, more)
