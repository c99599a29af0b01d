"""The list's spec: every filter of the FilterSet survives the parsing of a query string; controls and
form plumbing do not; defaults are left out, so a URL carries only what is set."""

import pytest
from django.http import QueryDict

from orders.filters import OrderFilter
from orders.listing.spec import ListSpec, filter_params


def test_every_filter_of_the_filterset_is_kept():
    names = list(OrderFilter.base_filters)
    query = QueryDict(mutable=True)
    for name in names:
        query[name] = "x"
    assert set(filter_params(query)) == set(names)  # nothing a filter reads is dropped


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("status=UNPAID&status=CANCELLED&page=3&sort=total&page_size=50", {"status": ["UNPAID", "CANCELLED"]}),
        ("tab=all&date_field=created&carrier=UPS", {"carrier": ["UPS"]}),  # defaults left out
        ("tab=to_ship&date_field=paid&preset=today", {"tab": ["to_ship"], "date_field": ["paid"], "preset": ["today"]}),
        ("csrfmiddlewaretoken=abc&query=x&format=csv&layout=lines&shops=A&buyer=", {}),
    ],
)
def test_filter_params(query, kept):
    assert filter_params(QueryDict(query)) == kept


def test_the_spec_rebuilds_the_data_and_the_url():
    spec = ListSpec.of(QueryDict("carrier=UPS&tab=shipped&page=2"), sort="total", number=2)
    assert spec.tab == "shipped"
    assert spec.data().dict() == {"carrier": "UPS", "tab": "shipped", "date_field": "created"}
    assert spec.data(tab="all")["tab"] == "all"
    assert spec.query_string() == "carrier=UPS&tab=shipped&sort=total"
