"""Webhook URLs must reach the public internet, not this server's network (no blind SSRF).

Checked when an app is saved and again before each delivery (a name may resolve differently later);
redirects are not followed. PARTNER_API_WEBHOOK_ALLOW_PRIVATE (on in development and tests, off in
production) lets a webhook reach loopback and private addresses, e.g. a receiver on the same machine.
"""

import ipaddress
import socket
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings


class UnsafeUrl(ValueError):
    pass


def allow_private() -> bool:
    return getattr(settings, "PARTNER_API_WEBHOOK_ALLOW_PRIVATE", False)


def check_webhook_url(url: str) -> None:
    """Raise UnsafeUrl with the reason when the URL may not receive webhooks."""
    parts = urlsplit(url)
    if allow_private():
        if parts.scheme not in {"http", "https"}:
            raise UnsafeUrl("A webhook URL starts with https:// (or http:// in development).")
        return
    if parts.scheme != "https" or not parts.hostname:
        raise UnsafeUrl("A webhook URL must be https:// with a host name.")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except OSError:
        raise UnsafeUrl(f"{parts.hostname} does not resolve.") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise UnsafeUrl(f"{parts.hostname} resolves to {ip}, which is not a public address.")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is answered as it is: a redirect could lead inside the network


opener = urllib.request.build_opener(_NoRedirects)
