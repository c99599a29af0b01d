"""A failing request gets the product's page, never a traceback: 503 (try again) when the database is
unreachable, 500 otherwise; both rendered without touching the database."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_site(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.accounts.error_urls"
    return Client(raise_request_exception=False)


def test_a_lost_database_is_a_503_page_that_says_to_try_again(failing_site, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = failing_site.get("/test/database-gone/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    text = response.content.decode()
    assert "<h1>Temporarily unavailable</h1>" in text and "try again in a few seconds" in text
    assert "Traceback" not in text and "OperationalError" not in text and "127.0.0.1" not in text


def test_any_other_error_is_the_500_page(failing_site):
    response = failing_site.get("/test/broken/")
    assert response.status_code == 500 and not response.has_header("Retry-After")
    text = response.content.decode()
    assert "<h1>Something went wrong</h1>" in text and "a bug" not in text and "Traceback" not in text
