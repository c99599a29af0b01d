"""Buyers with names, phones and addresses from the shop's locale (Faker), made once per shop."""

import random
from dataclasses import dataclass

from faker import Faker

from .shops import DemoShop


@dataclass(frozen=True)
class Address:
    name: str
    phone: str
    country: str
    state: str
    city: str
    district: str
    postcode: str
    line1: str
    line2: str


@dataclass(frozen=True)
class Buyer:
    user_id: str
    nickname: str
    name: str
    email: str
    phone: str
    address: Address


def _try(fake, attribute, default=""):
    provider = getattr(fake, attribute, None)
    if provider is None:
        return default
    try:
        return str(provider())
    except (AttributeError, ValueError):
        return default


def make_address(fake: Faker, country: str, name: str, phone: str) -> Address:
    state = _try(fake, "state") or _try(fake, "administrative_unit") or _try(fake, "province") or _try(fake, "county")
    district = _try(fake, "city_suffix") if country in {"ID", "VN", "TH"} else ""
    return Address(
        name=name,
        phone=phone,
        country=country,
        state=state[:100],
        city=(_try(fake, "city") or state)[:100],
        district=district[:100],
        postcode=_try(fake, "postcode")[:20],
        line1=_try(fake, "street_address")[:200],
        line2=(_try(fake, "secondary_address") if fake.random.random() < 0.3 else "")[:200],
    )


def build_buyers(shop: DemoShop, count: int, seed: int) -> list[Buyer]:
    fake = Faker(shop.locale)
    fake.seed_instance(seed)
    rng = random.Random(seed)
    buyers = []
    for n in range(count):
        name = fake.name()
        phone = fake.phone_number()
        handle = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())[:12] or "buyer"
        buyers.append(
            Buyer(
                user_id=f"7{rng.randrange(10**17):017d}",
                nickname=f"{handle}{rng.randint(1, 9999)}",
                name=name[:128],
                email=f"{handle}.{n}@example.{'com' if shop.country == 'US' else shop.country.lower()}",
                phone=phone[:32],
                address=make_address(fake, shop.country, name[:128], phone[:32]),
            )
        )
    return buyers


FOREIGN_BILLING = {
    "US": ("en_CA", "CA"),
    "GB": ("fr_FR", "FR"),
    "ID": ("en_AU", "AU"),
    "TH": ("en_US", "US"),
    "VN": ("en_AU", "AU"),
    "MY": ("en_PH", "PH"),
}


def build_foreign_addresses(shop: DemoShop, count: int, seed: int) -> list[Address]:
    """Billing addresses abroad: a few orders pay from another country (the risk panel flags them)."""
    locale, country = FOREIGN_BILLING.get(shop.country, ("en_US", "US"))
    fake = Faker(locale)
    fake.seed_instance(seed)
    return [make_address(fake, country, fake.name()[:128], _try(fake, "phone_number")[:32]) for _ in range(count)]
