"""Password spraying (OWASP ASVS 2.2.1): one address trying many usernames.

django-axes locks a username and IP pair after a few failures, but it has one failure limit for all
its lockout parameter sets, so the second, wider limit per IP is counted here, in the shared cache
(several web processes see one count): SIGN_IN_IP_FAILURE_LIMIT failed sign-ins (passwords or
two-factor codes) from one address, whatever the usernames, within SIGN_IN_IP_WINDOW pause every
sign-in from it for SIGN_IN_IP_COOLOFF. A successful sign-in neither lifts the pause nor clears the
count, so one valid account cannot cover a spray. IPv6 clients are counted per /64, the block one
client usually holds.
"""

import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import cache

from accounts.client_ip import client_ip
from accounts.models import AuditKind
from sellercenter.cache import hit

from . import audit


def _seconds(setting: str) -> int:
    return int(getattr(settings, setting).total_seconds())


def source(request) -> str | None:
    """The address the limit counts: the client's IP, or its /64 network for IPv6."""
    ip = client_ip(request)
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return None
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def minutes_left(request) -> int:
    """Whole minutes until sign-ins from the request's address are allowed again; 0 when they are."""
    subject = source(request)
    until = cache.get(f"sign_in:ip_paused:{subject}") if subject else None
    return max(0, math.ceil((until - time.time()) / 60)) if until else 0


def record_failure(request) -> bool:
    """Count one failed sign-in from the request's address; True when that address is now paused. The
    pause is audited once, however many processes reach the limit at the same moment."""
    subject = source(request)
    if subject is None:
        return False
    failures = hit(f"sign_in:ip_failures:{subject}", _seconds("SIGN_IN_IP_WINDOW"))
    if failures < settings.SIGN_IN_IP_FAILURE_LIMIT:
        return False
    cooloff = _seconds("SIGN_IN_IP_COOLOFF")
    if not cache.add(f"sign_in:ip_paused:{subject}", time.time() + cooloff, timeout=cooloff):
        return True  # already paused, by this failure's twin in another process
    cache.delete(f"sign_in:ip_failures:{subject}")  # after the pause, a fresh allowance
    window = _seconds("SIGN_IN_IP_WINDOW") // 60
    audit.record(
        AuditKind.SIGN_IN_IP_PAUSED,
        request=request,
        target=subject,
        summary=f"Sign-ins from {subject} paused for {cooloff // 60} minutes after {failures} failures "
        f"within {window} minutes, across usernames",
        failures=failures,
        window_minutes=window,
        cooloff_minutes=cooloff // 60,
    )
    return True
