"""The order benchmark's cases: (name, URL) pairs over the data set Django is connected to.

Seller Center pages are requested as the demo Administrator, Django admin pages (URLs under /admin/)
as the demo superuser. Searches take their terms from the data's frequency distribution
(bench/search_terms.py), so the common and the rare term are both measured at every size.
"""

from urllib.parse import quote

from search_terms import all_terms, describe


def urlpart(value) -> str:
    return quote(str(value), safe="")


def samples():
    """One in-transit order (the newest), its first line and package, and the oldest completed order."""
    from orders.models import LineItem, Order, Package

    sample = Order.objects.filter(status="IN_TRANSIT").order_by("-created_at").first()
    return {
        "order": sample,
        "line": LineItem.objects.filter(order=sample).first(),
        "package": Package.objects.filter(order=sample).first(),
        "completed": Order.objects.filter(status="COMPLETED").order_by("created_at").first(),
    }


class Cases:
    """The cases and the search terms they were built from (printed at start-up)."""

    def __init__(self):
        self.terms = all_terms()
        self.samples = samples()

    def describe(self) -> list[str]:
        return describe(self.terms)

    def __iter__(self):
        yield from self.list_cases()
        yield from self.search_cases()
        yield from self.page_cases()
        yield from self.admin_cases()

    def list_cases(self):
        sample = self.samples["order"]
        yield "list: no filter", "/orders/"
        for tab in ("unpaid", "to_ship", "shipped", "completed", "cancelled", "after_sales"):
            yield f"list: tab {tab}", f"/orders/?tab={tab}"
        for preset in (
            "today",
            "yesterday",
            "last_24h",
            "last_7d",
            "last_30d",
            "this_month",
            "last_month",
            "this_quarter",
            "this_year",
        ):
            yield f"list: preset {preset}", f"/orders/?preset={preset}"
        yield "list: custom range", "/orders/?preset=custom&date_from=2026-03-01&date_to=2026-03-31"
        yield "list: paid-time range", "/orders/?date_field=paid&preset=last_30d"
        yield "list: status", "/orders/?status=AWAITING_SHIPMENT"
        yield "list: shop", "/orders/?shop=GCP_DEMO_GB_MAPLE"
        yield "list: order id", f"/orders/?order_ids={sample.pk}"
        yield "list: buyer e-mail", f"/orders/?buyer={urlpart(sample.buyer_email)}"
        yield "list: total range", "/orders/?total_min=100&total_max=200"
        yield "list: payment method", "/orders/?payment_method=COD"
        yield "list: country", "/orders/?country=TH"
        yield "list: state", f"/orders/?state={urlpart(sample.ship_state)}"
        yield "list: carrier", "/orders/?carrier=UPS"
        yield "list: has buyer message", "/orders/?has_message=true"
        yield "list: billing differs", "/orders/?billing_differs=true"
        yield "list: after-sale refunded", "/orders/?after_sale=refunded"
        yield "list: pending ship overdue", "/orders/?pending=ship_overdue"

    def search_cases(self):
        """Each searched column's rarest, median and most common term."""
        for key, param in (
            ("buyer", "buyer"),
            ("product", "product"),
            ("sku", "product"),
            ("city", "city"),
            ("tracking", "tracking"),
        ):
            for term in self.terms[key]:
                yield f"list: {term.column} ({term.rank})", f"/orders/?{param}={urlpart(term.value)}"
        for term in self.terms["tracking"][:1]:
            yield "list: search box (tracking)", f"/orders/?q={urlpart(term.value)}"

    def page_cases(self):
        yield "list: sort by total", "/orders/?sort=-total"
        yield "list: sort by ship-by", "/orders/?sort=ship_by&tab=to_ship"
        yield "list: 100 per page", "/orders/?page_size=100"
        yield "list: page 50", "/orders/?page=50"
        yield "list: page 500 (deepest)", "/orders/?page=500"
        yield "detail: in transit", f"/orders/{self.samples['order'].pk}/"
        yield "detail: completed", f"/orders/{self.samples['completed'].pk}/"
        yield "home: pending board", "/"

    def admin_cases(self):
        """Django admin's changelists of the big tables, as the superuser."""
        sample, package = self.samples["order"], self.samples["package"]
        common = self.terms["buyer"][-1].value if self.terms["buyer"] else "a"
        yield "admin: orders", "/admin/orders/order/"
        yield "admin: orders, search order id", f"/admin/orders/order/?q={sample.pk}"
        yield "admin: orders, search buyer (most common)", f"/admin/orders/order/?q={urlpart(common)}"
        yield "admin: orders, status filter", "/admin/orders/order/?status__exact=AWAITING_SHIPMENT"
        yield "admin: orders, shop filter", f"/admin/orders/order/?shop__id__exact={sample.shop_id}"
        yield "admin: orders, page 20", "/admin/orders/order/?p=20"
        yield "admin: packages", "/admin/orders/package/"
        yield "admin: packages, search tracking", f"/admin/orders/package/?q={urlpart(package.tracking_number)}"
        yield "admin: tracking events", "/admin/orders/trackingevent/"
        yield "admin: cancellation requests", "/admin/orders/cancellationrequest/"
        yield "admin: return requests", "/admin/orders/returnrequest/"
        yield "admin: audit events", "/admin/accounts/auditevent/"
        yield "admin: webhook deliveries", "/admin/partner_api/webhookdelivery/"
