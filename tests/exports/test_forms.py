"""ExportForm (the Exports page): a range is required, a custom one needs both dates in order and at most
EXPORT_MAX_RANGE_DAYS days (both ends inclusive); format and layout are choices; what it stores for a job."""

import pytest

from accounts.models import Shop
from exports.forms import ExportForm, FormatLayoutForm

pytestmark = pytest.mark.django_db

BASE = {"format": "csv", "layout": "lines", "date_field": "created"}


def form(shop, **data):
    return ExportForm({**BASE, **data}, shops=Shop.objects.filter(pk=shop.pk))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        pytest.param({}, "preset", "Choose a date range (a preset or Custom with two dates).", id="no-range"),
        pytest.param(
            {"preset": "custom"},
            "date_from",
            "A custom range needs a start and an end date.",
            id="custom-without-dates",
        ),
        pytest.param(
            {"preset": "custom", "date_from": "2026-03-01"},
            "date_from",
            "A custom range needs a start and an end date.",
            id="custom-without-end",
        ),
        pytest.param(
            {"preset": "custom", "date_to": "2026-03-01"},
            "date_from",
            "A custom range needs a start and an end date.",
            id="custom-without-start",
        ),
        pytest.param(
            {"preset": "custom", "date_from": "2026-02-30", "date_to": "2026-03-31"},
            "date_from",
            "Enter a valid date.",
            id="invalid-date",
        ),
        pytest.param(
            {"preset": "custom", "date_from": "yesterday", "date_to": "2026-03-31"},
            "date_from",
            "Enter a valid date.",
            id="not-a-date",
        ),
        pytest.param(
            {"preset": "custom", "date_from": "2026-03-31", "date_to": "2026-03-01"},
            "date_to",
            "The end date is before the start date.",
            id="end-before-start",
        ),
        pytest.param(
            {"preset": "custom", "date_from": "2025-01-01", "date_to": "2026-01-02"},
            "date_to",
            "An export covers at most 366 days; split it into several.",
            id="367-days",
        ),
        pytest.param(
            {"preset": "last_7d", "date_from": "2026-03-01", "date_to": "2026-03-02"},
            "preset",
            "Choose “Custom” to give your own dates, or clear the dates.",
            id="preset-with-dates",
        ),
        pytest.param({"preset": "forever"}, "preset", "Select a valid choice.", id="unknown-preset"),
        pytest.param(
            {"preset": "last_7d", "format": "pdf"},
            "format",
            "Choose CSV for Excel, plain CSV or XLSX.",
            id="unknown-format",
        ),
        pytest.param({"preset": "last_7d", "format": ""}, "format", "This field is required.", id="no-format"),
        pytest.param(
            {"preset": "last_7d", "layout": "columns"},
            "layout",
            "Choose one row per order line or per order.",
            id="unknown-layout",
        ),
        pytest.param(
            {"preset": "last_7d", "date_field": "shipped"},
            "date_field",
            "Select a valid choice.",
            id="unknown-date-field",
        ),
        pytest.param(
            {"preset": "last_7d", "status": ["LOST"]}, "status", "Select a valid choice.", id="unknown-status"
        ),
    ],
)
def test_bad_input_is_refused_with_a_reason(shop, data, field, message):
    bound = form(shop, **data)
    assert not bound.is_valid()
    assert any(message in error for error in bound.errors[field]), bound.errors


def test_a_shop_the_user_may_not_export_is_not_a_choice(shop, other_shop):
    bound = form(shop, preset="last_7d", shops=[other_shop.code])
    assert not bound.is_valid() and "shops" in bound.errors


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2025-01-01", "2026-01-01"),
        ("2026-03-08", "2026-03-08"),
        ("2024-01-01", "2024-12-31"),
    ],  # 366, 1 and 366 (leap year) days
    ids=["366-days", "one-day", "leap-year"],
)
def test_custom_ranges_up_to_the_limit_are_accepted(shop, start, end):
    bound = form(shop, preset="custom", date_from=start, date_to=end)
    assert bound.is_valid(), bound.errors


def test_the_limit_comes_from_the_settings(shop, settings):
    settings.EXPORT_MAX_RANGE_DAYS = 31
    assert form(shop, preset="custom", date_from="2026-03-01", date_to="2026-03-31").is_valid()
    bound = form(shop, preset="custom", date_from="2026-03-01", date_to="2026-04-01")
    assert bound.errors["date_to"] == ["An export covers at most 31 days; split it into several."]


def test_filter_params_hold_filters_and_shop_codes_never_order_ids(shop):
    bound = form(
        shop,
        preset="custom",
        date_from="2026-03-01",
        date_to="2026-03-31",
        date_field="paid",
        status=["AWAITING_SHIPMENT", "DELIVERED"],
        shops=[shop.code],
        format="xlsx",
        layout="orders",
    )
    assert bound.is_valid(), bound.errors
    assert bound.filter_params() == {
        "filters": {
            "date_field": ["paid"],
            "preset": ["custom"],
            "date_from": ["2026-03-01"],
            "date_to": ["2026-03-31"],
            "status": ["AWAITING_SHIPMENT", "DELIVERED"],
        },
        "shops": [shop.code],
    }


def test_a_preset_stores_no_dates_and_no_shops_means_all(shop):
    bound = form(shop, preset="last_30d")
    assert bound.is_valid(), bound.errors
    assert bound.filter_params() == {"filters": {"date_field": ["created"], "preset": ["last_30d"]}, "shops": []}


@pytest.mark.parametrize(
    ("data", "valid"),
    [
        ({"format": "csv_excel", "layout": "lines"}, True),
        ({"format": "xlsx", "layout": "orders"}, True),
        ({"format": "xls", "layout": "lines"}, False),
        ({"format": "csv", "layout": "rows"}, False),
        ({}, False),
    ],
)
def test_the_list_buttons_choose_format_and_layout(data, valid):
    assert FormatLayoutForm(data).is_valid() is valid
