"""The order object in the platform's names: times in unix seconds, amounts as strings, one line
item per unit (the platform has no quantity field). PII as orders.masking shows it to the
Administrator who authorised the app."""

from decimal import Decimal

from orders.masking import PiiAccess

GRANTED_SCOPES = ["seller.authorization.info", "seller.order.info"]
LEVELS = (("L0", "Country"), ("L1", "State"), ("L2", "City"), ("L3", "District"))


def unix(moment):
    return int(moment.timestamp()) if moment else None


def money(value: Decimal) -> str:
    return f"{value:.2f}"


def split(amount: Decimal, parts: int) -> list[Decimal]:
    """`amount` in `parts` cent-exact shares that add up to it (the first ones carry the odd cents)."""
    cents = int((amount * 100).to_integral_value())
    share, rest = divmod(cents, parts)
    return [Decimal(share + (1 if i < rest else 0)) / 100 for i in range(parts)]


def pii_access(grant, orders) -> PiiAccess:
    """The authorising Administrator's view, every order of the answer counted as revealed (an app
    reads what its Administrator may read, without the page's click)."""
    access = PiiAccess.for_user(grant.authorised_by)
    return PiiAccess(access.pii_shop_ids, access.address_shop_ids, frozenset(o.pk for o in orders))


def order_dict(order, access: PiiAccess) -> dict:
    buyer = access.buyer(order)
    packages = {p["id"]: p for p in order.api_packages}  # in creation order (selectors.orders)
    first = order.api_packages[0] if order.api_packages else None
    data = {
        "id": str(order.pk),
        "status": order.status,
        "create_time": unix(order.created_at),
        "update_time": unix(order.updated_at),
        "paid_time": unix(order.paid_at),
        "rts_sla_time": unix(order.rts_sla_at),
        "cancel_reason": order.cancel_reason,
        "cancellation_initiator": order.cancellation_initiator,
        "user_id": order.buyer_user_id,
        "buyer_email": buyer.email,
        "buyer_message": order.buyer_message,
        "payment_method_name": order.get_payment_method_display(),
        "shipping_provider": order.carrier or (first["carrier"] if first else ""),
        "tracking_number": first["tracking_number"] if first else "",
        "fulfillment_type": order.fulfillment_type,
        "delivery_option_name": order.get_delivery_option_display(),
        "seller_note": order.seller_note,
        "payment": {
            "currency": order.currency,
            "sub_total": money(order.subtotal),
            "shipping_fee": money(order.shipping_fee),
            "seller_discount": money(order.seller_discount),
            "platform_discount": money(order.platform_discount),
            "tax": money(order.tax),
            "total_amount": money(order.total),
            "original_total_product_price": money(order.original_product_total),
            "original_shipping_fee": money(order.original_shipping_fee),
        },
        "recipient_address": address_dict(buyer.shipping),
        "line_items": [unit for line in order.api_lines for unit in line_units(order, line, packages)],
        "packages": [{"id": str(pk)} for pk in packages],
    }
    return {key: value for key, value in data.items() if value is not None}  # absent times are left out


def address_dict(address) -> dict:
    detail = [
        p
        for p in (
            address.line1,
            address.line2,
            address.district,
            address.city,
            address.state,
            address.postcode,
            address.country,
        )
        if p
    ]
    return {
        "name": address.name,
        "phone_number": address.phone,
        "full_address": ", ".join(detail),
        "address_detail": address.line2,
        "address_line1": address.line1,
        "address_line2": address.line2,
        "address_line3": "",
        "address_line4": "",
        "postal_code": address.postcode,
        "region_code": address.country,
        "district_info": [
            {"address_level": level, "address_level_name": name, "address_name": value}
            for (level, name), value in zip(LEVELS, (address.country, address.state, address.city, address.district))
            if value
        ],
    }


def line_units(order, line: dict, packages: dict) -> list[dict]:
    """One element per unit of a line (a dict of LineItem fields)."""
    package = packages.get(line["package_id"])
    quantity = line["quantity"]
    seller, platform = split(line["seller_discount"], quantity), split(line["platform_discount"], quantity)
    common = {
        "sku_id": line["sku_id"],
        "product_id": line["product_id"],
        "product_name": line["product_name"],
        "sku_name": line["sku_name"],
        "seller_sku": line["seller_sku"],
        "sale_price": money(line["sale_price"]),
        "original_price": money(line["original_price"]),
        "currency": order.currency,
        "display_status": line["status"],
        "package_id": str(package["id"]) if package else "",
        "tracking_number": package["tracking_number"] if package else "",
        "shipping_provider_name": package["carrier"] if package else "",
    }
    return [
        {
            "id": f"{line['id']}{unit:04d}",
            **common,
            "seller_discount": money(seller[unit]),
            "platform_discount": money(platform[unit]),
        }
        for unit in range(quantity)
    ]
