"""The client's IP address, for lockouts and the audit log alike.

Without a proxy it is REMOTE_ADDR. Behind TRUSTED_PROXY_COUNT reverse proxies, each appends the
address it saw to X-Forwarded-For, so the client is the entry that many places from the right;
anything further left was written by the client and cannot be trusted.
"""

from django.conf import settings


def client_ip(request) -> str | None:
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
