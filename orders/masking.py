"""Buyer PII as each role may see it, masked the way the platform masks it.

`J*** D***` for names, `(+1)213*****88` for phones, `j***e@e***.com` for e-mails; addresses
show only country, state and city. While an order is UNPAID or ON_HOLD nobody sees the
recipient's address, as on the platform (the buyer may still cancel).

Even a role that may see PII sees it masked until someone clicks "Show buyer details" on one order:
that click is recorded in the audit trail and opens that order's details for REVEAL_MINUTES in this
session (the list shows them too, for that order only).
"""

import re
import time
from dataclasses import dataclass

from accounts.roles import Perm
from accounts.services.permissions import shops_with_permission

from .statuses import OrderStatus

HIDDEN = "***"
REVEAL_MINUTES = 10
REVEALS_KEY = "sc_pii_reveals"
MAX_REVEALS_KEPT = 200
ADDRESS_HIDDEN_STATUSES = frozenset({OrderStatus.UNPAID, OrderStatus.ON_HOLD})


def mask_name(name: str) -> str:
    return " ".join(f"{part[0]}***" for part in (name or "").split() if part) or HIDDEN


def mask_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 6:
        return HIDDEN
    country = ""
    if (phone or "").strip().startswith("+"):
        cc_len = 1 if digits[0] in "17" else 2
        country, digits = f"(+{digits[:cc_len]})", digits[cc_len:]
    return f"{country}{digits[:3]}{'*' * max(len(digits) - 5, 1)}{digits[-2:]}"


def mask_email(email: str) -> str:
    local, _, domain = (email or "").partition("@")
    if not local or not domain:
        return HIDDEN
    host, _, tld = domain.rpartition(".")
    masked_local = f"{local[0]}***{local[-1]}" if len(local) > 1 else f"{local}***"
    return f"{masked_local}@{host[:1]}***.{tld}" if host else f"{masked_local}@***"


@dataclass(frozen=True)
class PiiAccess:
    """Which shops' buyer data a user may see in full; one query each, reused for a whole page."""

    pii_shop_ids: frozenset
    address_shop_ids: frozenset
    revealed: frozenset = frozenset()  # order ids revealed in this session

    @classmethod
    def for_user(cls, user, revealed=frozenset()):
        return cls(
            frozenset(shops_with_permission(user, Perm.VIEW_BUYER_PII).values_list("pk", flat=True)),
            frozenset(shops_with_permission(user, Perm.VIEW_SHIPPING_ADDRESS).values_list("pk", flat=True)),
            frozenset(revealed),
        )

    @classmethod
    def for_request(cls, request):
        return cls.for_user(request.user, revealed_orders(request.session))

    def may_reveal(self, order) -> bool:
        return order.shop_id in self.pii_shop_ids or order.shop_id in self.address_shop_ids

    def sees_pii(self, order) -> bool:
        return order.shop_id in self.pii_shop_ids and order.pk in self.revealed

    def sees_recipient(self, order) -> bool:
        return self.may_reveal(order) and order.pk in self.revealed

    def buyer(self, order) -> "BuyerView":
        return BuyerView.of(order, self)


def revealed_orders(session) -> set[int]:
    now = time.time()
    return {int(pk) for pk, until in session.get(REVEALS_KEY, {}).items() if until > now}


def remember_reveal(session, order_id: int) -> None:
    now = time.time()
    kept = {pk: until for pk, until in session.get(REVEALS_KEY, {}).items() if until > now}
    kept[str(order_id)] = now + REVEAL_MINUTES * 60
    session[REVEALS_KEY] = dict(sorted(kept.items(), key=lambda item: item[1])[-MAX_REVEALS_KEPT:])


@dataclass(frozen=True)
class AddressView:
    name: str
    phone: str
    line1: str
    line2: str
    district: str
    city: str
    state: str
    postcode: str
    country: str
    hidden_reason: str = ""

    @property
    def lines(self):
        parts = [
            self.name,
            self.phone,
            self.line1,
            self.line2,
            self.district,
            " ".join(p for p in (self.city, self.state, self.postcode) if p),
            self.country,
        ]
        return [p for p in parts if p]


@dataclass(frozen=True)
class BuyerView:
    name: str
    nickname: str
    email: str
    phone: str
    masked: bool
    may_reveal: bool
    shipping: AddressView
    billing: AddressView | None

    @classmethod
    def of(cls, order, access: PiiAccess) -> "BuyerView":
        full = access.sees_pii(order)
        return cls(
            name=order.buyer_name if full else mask_name(order.buyer_name),
            nickname=order.buyer_nickname,
            email=order.buyer_email if full else mask_email(order.buyer_email),
            phone=order.buyer_phone if full else mask_phone(order.buyer_phone),
            masked=not full,
            may_reveal=access.may_reveal(order) and order.pk not in access.revealed,
            shipping=_address(order, "ship", show=access.sees_recipient(order)),
            billing=_address(order, "bill", show=full) if order.bill_line1 else None,
        )


def _address(order, prefix: str, *, show: bool) -> AddressView:
    get = lambda field: getattr(order, f"{prefix}_{field}", "")  # noqa: E731
    if order.status in ADDRESS_HIDDEN_STATUSES:
        return AddressView(
            HIDDEN,
            HIDDEN,
            HIDDEN,
            "",
            "",
            "",
            "",
            "",
            get("country"),
            hidden_reason="The address is shown once the order leaves the on-hold window.",
        )
    if show:
        return AddressView(
            get("name"),
            get("phone"),
            get("line1"),
            get("line2"),
            get("district"),
            get("city"),
            get("state"),
            get("postcode"),
            get("country"),
        )
    return AddressView(
        mask_name(get("name")),
        mask_phone(get("phone")),
        HIDDEN,
        "",
        "",
        get("city"),
        get("state"),
        HIDDEN,
        get("country"),
    )
