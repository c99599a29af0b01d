import pytest
from django.test import RequestFactory

from accounts.client_ip import client_ip


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "10.0.0.9"),  # reached directly
        (0, "6.6.6.6", "10.0.0.9"),  # a forged header is ignored without proxies
        (1, "198.51.100.7", "198.51.100.7"),  # one proxy: the address it appended
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client's own entry (left) is not trusted
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "10.0.0.9"),  # fewer entries than proxies: fall back
    ],
)
def test_client_ip(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
