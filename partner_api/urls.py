from django.urls import path, re_path

from .views import openapi, orders, pages, token

urlpatterns = [
    # Seller Center pages
    path("api-apps/", pages.api_apps, name="api_apps"),
    path("api-apps/new/", pages.api_app_create, name="api_app_create"),
    path("api-apps/authorise/", pages.api_app_authorise, name="api_app_authorise"),
    path("api-apps/grants/<int:grant_id>/revoke/", pages.api_grant_revoke, name="api_grant_revoke"),
    # the Partner API
    path("api/v2/token/get", token.token_get, name="api_token_get"),
    path("api/v2/token/refresh", token.token_refresh, name="api_token_refresh"),
    path("api/openapi.json", openapi.openapi_document, name="api_openapi"),
    path("authorization/202309/shops", orders.authorized_shops, name="api_authorized_shops"),
    path("order/202309/orders/search", orders.search_orders, name="api_order_search"),
    path("order/202309/orders", orders.order_details, name="api_order_detail"),
    path("order/202507/orders", orders.order_details, name="api_order_detail_202507"),
    # anything else under the API's prefixes: the error envelope, not the HTML 404 page
    re_path(
        r"^(?P<prefix>order|authorization|api|return_refund)/(?P<rest>.*)$",
        orders.unknown_path,
        name="api_unknown_path",
    ),
]
