"""The Manage Orders table (django-tables2): columns and how each cell reads."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from .templatetags.seller_center import money, shoptime, status_badge


class OrderTable(tables.Table):
    select = tables.TemplateColumn(
        '<input type="checkbox" name="order" value="{{ record.pk }}" form="bulk-form" '
        'aria-label="Select order {{ record.pk }}" class="row-select">',
        verbose_name=mark_safe('<input type="checkbox" id="select-page" hidden aria-label="Select this page">'),
        orderable=False,
        attrs={"th": {"class": "col-select"}},
    )
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

    # -- rendering: the markup of django_tables2/table.html, written out in Python -----------------
    # The template engine resolves each cell through templates and signature inspection, a cost paid
    # per row (bench/RESULTS.md); this writes the very same HTML (tests compare it with render_table's)
    # directly.
    # Columns whose value the library would check against empty_values (None, "") before calling
    # render_<name>; the others render whatever the value.
    _EMPTY_CHECKED = {
        "created": lambda r: r.created_at,
        "buyer": lambda r: r.buyer_name,
        "total": lambda r: r.total,
        "payment": lambda r: r.get_payment_method_display(),
        "status": lambda r: r.get_status_display(),
    }

    def _cell_renderers(self):
        renderers = []
        for column in self.columns:  # visible columns, in order
            name = column.name
            render = self._render_select if name == "select" else getattr(self, f"render_{name}")
            renderers.append(
                (
                    column.attrs["td"].as_html(),
                    render,
                    self._EMPTY_CHECKED.get(name),
                    conditional_escape(column.default),
                )
            )
        return renderers

    def _render_select(self, record):
        return format_html(
            '<input type="checkbox" name="order" value="{}" form="bulk-form" '
            'aria-label="Select order {}" class="row-select">',
            record.pk,
            record.pk,
        )

    def html(self):
        """The table as `{% render_table table %}` renders it with django_tables2/table.html."""
        columns = list(self.columns)
        out = [
            '\n\n\n<div class="table-container">\n    \n        <table ',
            self.attrs.as_html(),
            ">\n            \n            \n                <thead ",
            _attrs_html(self.attrs.get("thead")),
            ">\n                    <tr>\n                    ",
        ]
        for column in columns:
            out += [
                "\n                        <th ",
                column.attrs["th"].as_html(),
                ">\n                            \n                                ",
                conditional_escape(column.header),
                "\n                            \n                        </th>\n                    ",
            ]
        out += [
            "\n                    </tr>\n                </thead>\n            \n            \n            \n"
            "                <tbody ",
            _attrs_html(self.attrs.get("tbody")),
            ">\n                ",
        ]
        renderers = self._cell_renderers()
        rows = list(self.data)
        for index, record in enumerate(rows):
            out += [
                '\n                    \n                    <tr class="',
                "odd" if index % 2 else "even",
                '">\n                        ',
            ]
            for td_attrs, render, empty_checked, default in renderers:
                if empty_checked is not None and empty_checked(record) in (None, ""):
                    cell = default
                else:
                    cell = conditional_escape(render(record))
                out += ["\n                            <td ", td_attrs, ">", cell, "</td>\n                        "]
            out.append("\n                    </tr>\n                    \n                ")
        if not rows:
            out += [
                '\n                    \n                    \n                    <tr><td colspan="',
                str(len(columns)),
                '">',
                conditional_escape(self.empty_text),
                "</td></tr>\n                    \n                    \n                ",
            ]
        out.append(
            "\n                </tbody>\n            \n            \n            \n            \n"
            "        </table>\n    \n\n    \n        \n    \n</div>\n\n"
        )
        return mark_safe("".join(out))

    def render_order_id(self, record):
        return format_html(
            '<a class="order-link" href="{}">{}</a><div class="sub">{}</div>',
            reverse("order_detail", args=[record.pk]),
            record.pk,
            record.shop.name,
        )

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
        return format_html(
            '<span class="item-name">{}</span><div class="sub">{} × {}{}</div>',
            first.product_name,
            first.sku_name or "—",
            first.quantity,
            more,
        )

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
        return (
            format_html('<span class="overdue" title="Shipping overdue">{} ⚠ Overdue</span>', cell) if overdue else cell
        )

    def render_shipping(self, record):
        packages = list(record.packages.all())
        if not packages:
            return "—"
        first = packages[0]
        more = f" +{len(packages) - 1}" if len(packages) > 1 else ""
        return format_html('{}<div class="sub mono">{}{}</div>', first.carrier, first.tracking_number, more)


def _attrs_html(attrs) -> str:
    return tables.utils.AttributeDict(attrs or {}).as_html()
