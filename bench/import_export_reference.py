"""django-import-export references for bench/exports_bench.py: the same rows exported the way a Django
developer would with that library (a ModelResource over LineItem), as a throughput baseline.

  import_export_same_columns_sample   our export's 50 columns, headers and formatting
  import_export_raw_sample            27 of the columns as stored, unformatted (the earlier baseline)
"""


def write_dataset(resource, queryset, out):
    """django-import-export's own export: a tablib Dataset in memory, then its CSV."""
    dataset = resource.export(queryset=queryset)
    with open(out, "w", encoding="utf-8", newline="") as written:
        written.write(dataset.csv)
    return len(dataset)


def import_export_raw_sample(out, sample):
    """django-import-export with 27 of the columns as the model holds them: no labels, zones or formatting."""
    from import_export import fields, resources

    from orders.models import LineItem

    class LineResource(resources.ModelResource):
        order_id = fields.Field(attribute="order__id", column_name="Order ID")
        status = fields.Field(attribute="order__status", column_name="Order Status")
        created = fields.Field(attribute="order__created_at", column_name="Created Time")
        paid = fields.Field(attribute="order__paid_at", column_name="Paid Time")
        shipped = fields.Field(attribute="order__shipped_at", column_name="Shipped Time")
        total = fields.Field(attribute="order__total", column_name="Order Amount")
        currency = fields.Field(attribute="order__currency", column_name="Currency")
        buyer = fields.Field(attribute="order__buyer_name", column_name="Buyer Name")
        recipient = fields.Field(attribute="order__ship_name", column_name="Recipient")
        phone = fields.Field(attribute="order__ship_phone", column_name="Phone #")
        country = fields.Field(attribute="order__ship_country", column_name="Country")
        state = fields.Field(attribute="order__ship_state", column_name="Province")
        city = fields.Field(attribute="order__ship_city", column_name="City")
        address = fields.Field(attribute="order__ship_line1", column_name="Detail Address")
        postcode = fields.Field(attribute="order__ship_postcode", column_name="Zipcode")
        payment = fields.Field(attribute="order__payment_method", column_name="Payment Method")
        message = fields.Field(attribute="order__buyer_message", column_name="Buyer Message")
        tracking = fields.Field(attribute="package__tracking_number", column_name="Tracking ID")
        carrier = fields.Field(attribute="package__carrier", column_name="Shipping Provider Name")

        class Meta:
            model = LineItem
            fields = (
                "order_id",
                "status",
                "sku_id",
                "seller_sku",
                "product_name",
                "sku_name",
                "quantity",
                "original_price",
                "seller_discount",
                "platform_discount",
                "total",
                "currency",
                "created",
                "paid",
                "shipped",
                "buyer",
                "recipient",
                "phone",
                "country",
                "state",
                "city",
                "address",
                "postcode",
                "payment",
                "message",
                "tracking",
                "carrier",
            )

    queryset = LineItem.objects.select_related("order", "package").order_by("order__created_at", "order_id", "id")
    return write_dataset(LineResource(), queryset[:sample], out)


def import_export_same_columns_sample(out, sample):
    """django-import-export with a resource giving our export's columns (exports/columns.py LINE_COLUMNS):
    same headers and order, choice labels, money with two decimals, times in the shop's zone, the
    formula guard, addresses hidden while the buyer may still cancel."""
    from django.db.models import OuterRef, Subquery
    from import_export import fields, resources, widgets

    from accounts.spreadsheet import FORMULA_STARTS
    from orders.masking import ADDRESS_HIDDEN_STATUSES, HIDDEN
    from orders.models import LineItem, ReturnRequest
    from orders.statuses import ReturnType

    return_labels = dict(ReturnType.choices)

    class Text(widgets.Widget):
        """Free text; a leading apostrophe where a spreadsheet would read a formula (as our SQL does)."""

        def render(self, value, obj=None, **kwargs):
            text = "" if value is None else str(value)
            return "'" + text if text[:1] in FORMULA_STARTS else text

    class Money(widgets.Widget):
        def render(self, value, obj=None, **kwargs):
            return "" if value is None else f"{value:.2f}"

    class AddressField(fields.Field):
        """The recipient's address: hidden for everyone while the order is UNPAID or ON_HOLD."""

        def export(self, instance, **kwargs):
            if instance.order.status in ADDRESS_HIDDEN_STATUSES:
                return HIDDEN
            return super().export(instance, **kwargs)

    def text(attribute, header):
        return fields.Field(attribute=attribute, column_name=header, widget=Text())

    def money(attribute, header):
        return fields.Field(attribute=attribute, column_name=header, widget=Money())

    def address(attribute, header):
        return AddressField(attribute=attribute, column_name=header, widget=Text())

    def local_time(attribute, header):
        return fields.Field(attribute=attribute, column_name=f"{header} (shop time, ISO 8601)")

    def shop_time(line, moment):
        """ISO 8601 in the shop's own zone, whole seconds, with the offset: 2026-02-28T16:01:26-08:00."""
        if moment is None:
            return ""
        return moment.astimezone(line.order.shop.tzinfo).replace(microsecond=0).isoformat()

    class LineResource(resources.ModelResource):
        order_id = fields.Field(attribute="order_id", column_name="Order ID")
        status = fields.Field(attribute="order__get_status_display", column_name="Order Status")
        return_type = fields.Field(attribute="latest_return_type", column_name="Cancelation/Return Type")
        sku_id = fields.Field(attribute="sku_id", column_name="SKU ID")
        seller_sku = text("seller_sku", "Seller SKU")
        product_name = text("product_name", "Product Name")
        variation = text("sku_name", "Variation")
        quantity = fields.Field(attribute="quantity", column_name="Quantity")
        unit_price = money("original_price", "SKU Unit Original Price")
        subtotal_before = money("original_total", "SKU Subtotal Before Discount")
        platform_discount = money("platform_discount", "SKU Platform Discount")
        seller_discount = money("seller_discount", "SKU Seller Discount")
        subtotal_after = money("line_total", "SKU Subtotal After Discount")
        shipping_fee = money("order__shipping_fee", "Shipping Fee After Discount")
        original_shipping_fee = money("order__original_shipping_fee", "Original Shipping Fee")
        tax = money("order__tax", "Taxes")
        total = money("order__total", "Order Amount")
        refunded = money("order__refunded_amount", "Order Refund Amount")
        currency = fields.Field(attribute="order__currency", column_name="Currency")
        created = local_time("order__created_at", "Created Time")
        paid = local_time("order__paid_at", "Paid Time")
        rts = local_time("order__rts_sla_at", "RTS Time")
        shipped = local_time("order__shipped_at", "Shipped Time")
        delivered = local_time("order__delivered_at", "Delivered Time")
        completed = local_time("order__completed_at", "Completed Time")
        cancelled = local_time("order__cancelled_at", "Cancelled Time")
        time_zone = fields.Field(attribute="order__shop__time_zone", column_name="Time Zone")
        tracking_id = fields.Field(attribute="package__tracking_number", column_name="Tracking ID")
        package_id = fields.Field(attribute="package_id", column_name="Package ID")
        cancel_by = fields.Field(attribute="order__get_cancellation_initiator_display", column_name="Cancel By")
        cancel_reason = text("order__cancel_reason", "Cancel Reason")
        fulfillment = fields.Field(attribute="order__get_fulfillment_type_display", column_name="Fulfillment Type")
        delivery = fields.Field(attribute="order__get_delivery_option_display", column_name="Delivery Option")
        carrier = text("order__carrier", "Shipping Provider Name")
        buyer_message = text("order__buyer_message", "Buyer Message")
        buyer_username = text("order__buyer_nickname", "Buyer Username")
        buyer_name = text("order__buyer_name", "Buyer Name")
        buyer_email = text("order__buyer_email", "Buyer Email")
        recipient = address("order__ship_name", "Recipient")
        phone = address("order__ship_phone", "Phone #")
        zipcode = address("order__ship_postcode", "Zipcode")
        country = text("order__ship_country", "Country")
        province = text("order__ship_state", "Province")
        city = text("order__ship_city", "City")
        district = address("order__ship_district", "Districts")
        line1 = address("order__ship_line1", "Detail Address")
        line2 = address("order__ship_line2", "Additional Address Information")
        payment = fields.Field(attribute="order__get_payment_method_display", column_name="Payment Method")
        seller_note = text("order__seller_note", "Seller Note")
        shop = text("order__shop__name", "Shop")

        class Meta:
            model = LineItem
            fields = (
                "order_id",
                "status",
                "return_type",
                "sku_id",
                "seller_sku",
                "product_name",
                "variation",
                "quantity",
                "unit_price",
                "subtotal_before",
                "platform_discount",
                "seller_discount",
                "subtotal_after",
                "shipping_fee",
                "original_shipping_fee",
                "tax",
                "total",
                "refunded",
                "currency",
                "created",
                "paid",
                "rts",
                "shipped",
                "delivered",
                "completed",
                "cancelled",
                "time_zone",
                "tracking_id",
                "package_id",
                "cancel_by",
                "cancel_reason",
                "fulfillment",
                "delivery",
                "carrier",
                "buyer_message",
                "buyer_username",
                "buyer_name",
                "buyer_email",
                "recipient",
                "phone",
                "zipcode",
                "country",
                "province",
                "city",
                "district",
                "line1",
                "line2",
                "payment",
                "seller_note",
                "shop",
            )

        def dehydrate_return_type(self, line):
            return return_labels.get(line.latest_return_type, "")

        def dehydrate_created(self, line):
            return shop_time(line, line.order.created_at)

        def dehydrate_paid(self, line):
            return shop_time(line, line.order.paid_at)

        def dehydrate_rts(self, line):
            return shop_time(line, line.order.rts_sla_at)

        def dehydrate_shipped(self, line):
            return shop_time(line, line.order.shipped_at)

        def dehydrate_delivered(self, line):
            return shop_time(line, line.order.delivered_at)

        def dehydrate_completed(self, line):
            return shop_time(line, line.order.completed_at)

        def dehydrate_cancelled(self, line):
            return shop_time(line, line.order.cancelled_at)

    # The latest return request's type, as a subquery: order.returns read per line would be a query
    # per row, and a prefetch makes import-export page through the rows with OFFSET.
    latest_return = (
        ReturnRequest.objects.filter(order=OuterRef("order")).order_by("-requested_at").values("return_type")[:1]
    )
    queryset = (
        LineItem.objects.select_related("order__shop", "package")
        .annotate(latest_return_type=Subquery(latest_return))
        .order_by("order__created_at", "order_id", "id")
    )
    return write_dataset(LineResource(), queryset[:sample], out)
