"""The signed endpoints: authorised shops, order search, order details."""

from partner_api import auth, errors, search
from partner_api.envelope import api_view, respond
from partner_api.selectors.grants import granted_shops
from partner_api.selectors.orders import orders_by_id, search_page
from partner_api.serializers import order_dict, pii_access

MAX_IDS = 50


@api_view("GET")
def authorized_shops(request):
    caller = auth.authenticate(request)
    shops = [
        {
            "id": str(shop.pk),
            "name": shop.name,
            "region": shop.country,
            "seller_type": "LOCAL",
            "cipher": shop.code,
            "code": f"{shop.country}SC{shop.pk:06d}",
        }
        for shop in granted_shops(caller.grant)
    ]
    return respond({"shops": shops})


@api_view("POST")
def search_orders(request):
    caller = auth.authenticate(request)
    shop = auth.shop_for(request, caller)
    page = search_page(caller.grant, shop, search.parse(request))
    access = pii_access(caller.grant, page.orders)
    return respond(
        {
            "orders": [order_dict(o, access) for o in page.orders],
            "next_page_token": page.next_token,
            "total_count": page.total,
        }
    )


def requested_ids(request) -> list[int]:
    """`ids` as comma-separated values, repeated parameters, or both."""
    raw = [part.strip() for value in request.GET.getlist("ids") for part in value.split(",") if part.strip()]
    if not raw:
        raise errors.ApiError(errors.INVALID_PARAM, "ids is required: up to 50 order ids.")
    if len(raw) > MAX_IDS:
        raise errors.ApiError(errors.INVALID_PARAM, f"ids holds {len(raw)} ids; at most {MAX_IDS}.")
    bad = [part for part in raw if not part.isdigit() or len(part) > 19]
    if bad:
        raise errors.ApiError(errors.INVALID_PARAM, f"ids must be numeric order ids; not {bad[0]!r}.")
    return [int(part) for part in raw]


@api_view("GET")
def order_details(request):
    caller = auth.authenticate(request)
    shop = auth.shop_for(request, caller)
    orders = orders_by_id(caller.grant, shop, requested_ids(request))
    access = pii_access(caller.grant, orders)
    return respond({"orders": [order_dict(o, access) for o in orders]})


@api_view("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
def unknown_path(request, prefix, rest):
    raise errors.ApiError(
        errors.UNKNOWN_PATH,
        f"No API endpoint {request.method} {request.path}; see /api/openapi.json for the ones there are.",
    )
