import pytest
from django.urls import URLPattern

from partner_api import errors, urls

pytestmark = pytest.mark.django_db


def api_paths():
    """Every API route of partner_api.urls as a path (the pages and the catch-all are not the API)."""
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        if not route.startswith("api-apps/") and pattern.name != "api_unknown_path":
            yield "/" + route


def test_document_is_served_and_lists_every_endpoint(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert sorted(document["paths"]) == sorted(api_paths())
    assert "post" in document["paths"]["/order/202309/orders/search"]
    assert "requestBody" in document["paths"]["/order/202309/orders/search"]["post"]


def test_document_lists_every_error_code(client):
    document = client.get("/api/openapi.json").json()
    assert sorted(document["components"]["schemas"]["Error"]["properties"]["code"]["enum"]) == sorted(
        k.code for k in errors.ALL
    )
    described = " ".join(
        r["description"] for p in document["paths"].values() for op in p.values() for r in op["responses"].values()
    )
    for kind in errors.ALL:
        if kind is not errors.UNKNOWN_PATH:  # no path to put it on: it is listed in info.description
            assert str(kind.code) in described, kind
        assert str(kind.code) in document["info"]["description"]


def test_search_parameters_are_described(client):
    operation = client.get("/api/openapi.json").json()["paths"]["/order/202309/orders/search"]["post"]
    names = {p["name"] for p in operation["parameters"]}
    assert {
        "app_key",
        "timestamp",
        "sign",
        "shop_cipher",
        "page_size",
        "page_token",
        "sort_field",
        "sort_order",
        "x-tts-access-token",
    } <= names
    body = operation["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert set(body) == {
        "order_status",
        "create_time_ge",
        "create_time_lt",
        "update_time_ge",
        "update_time_lt",
        "shipping_type",
        "buyer_user_id",
        "is_buyer_request_cancel",
    }
