"""The demo shops: different countries, currencies, time zones and buyer locales."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class DemoShop:
    code: str
    name: str
    country: str
    currency: str
    time_zone: str
    locale: str
    price_scale: Decimal  # converts the catalogue's USD-like base prices to this currency
    money_exponent: Decimal  # smallest unit the shop charges in
    shipping_fee: Decimal
    free_shipping_over: Decimal
    tax_rate: Decimal  # sales tax added on top; 0 where VAT is included in prices
    carriers: tuple[str, ...]
    payment_methods: tuple[tuple[str, int], ...]  # (method, weight)
    weight: int  # share of the orders


CENT = Decimal("0.01")
UNIT = Decimal("1")

DEMO_SHOPS = (
    DemoShop(
        "GCP_DEMO_US_SUNRISE",
        "Sunrise Apparel",
        "US",
        "USD",
        "America/Los_Angeles",
        "en_US",
        Decimal("1"),
        CENT,
        Decimal("5.99"),
        Decimal("49.00"),
        Decimal("0.0725"),
        ("USPS", "UPS", "FedEx"),
        (("CARD", 55), ("PAYPAL", 20), ("APPLE_PAY", 15), ("GOOGLE_PAY", 5), ("PAY_LATER", 5)),
        34,
    ),
    DemoShop(
        "GCP_DEMO_GB_MAPLE",
        "Maple & Co Home",
        "GB",
        "GBP",
        "Europe/London",
        "en_GB",
        Decimal("0.8"),
        CENT,
        Decimal("3.49"),
        Decimal("40.00"),
        Decimal("0"),
        ("Royal Mail", "Evri", "DPD"),
        (("CARD", 60), ("PAYPAL", 20), ("APPLE_PAY", 12), ("PAY_LATER", 8)),
        22,
    ),
    DemoShop(
        "GCP_DEMO_ID_LOTUS",
        "Lotus Beauty Indonesia",
        "ID",
        "IDR",
        "Asia/Jakarta",
        "id_ID",
        Decimal("15500"),
        UNIT,
        Decimal("15000"),
        Decimal("300000"),
        Decimal("0"),
        ("J&T Express", "SiCepat", "JNE"),
        (("E_WALLET", 45), ("BANK_TRANSFER", 25), ("COD", 25), ("CARD", 5)),
        18,
    ),
    DemoShop(
        "GCP_DEMO_TH_BANGKOK",
        "Bangkok Street Gadgets",
        "TH",
        "THB",
        "Asia/Bangkok",
        "th_TH",
        Decimal("35"),
        CENT,
        Decimal("40.00"),
        Decimal("900.00"),
        Decimal("0"),
        ("Flash Express", "Kerry Express", "J&T Express"),
        (("E_WALLET", 40), ("COD", 30), ("CARD", 20), ("BANK_TRANSFER", 10)),
        12,
    ),
    DemoShop(
        "GCP_DEMO_VN_SAIGON",
        "Saigon Crafts",
        "VN",
        "VND",
        "Asia/Ho_Chi_Minh",
        "vi_VN",
        Decimal("25000"),
        UNIT,
        Decimal("30000"),
        Decimal("500000"),
        Decimal("0"),
        ("GHN", "GHTK", "Viettel Post"),
        (("COD", 45), ("E_WALLET", 40), ("CARD", 15)),
        9,
    ),
    DemoShop(
        "GCP_DEMO_MY_KL",
        "KL Active Sports",
        "MY",
        "MYR",
        "Asia/Kuala_Lumpur",
        "en_MS",
        Decimal("4.5"),
        CENT,
        Decimal("6.00"),
        Decimal("150.00"),
        Decimal("0"),
        ("J&T Express", "Pos Laju", "Ninja Van"),
        (("E_WALLET", 40), ("BANK_TRANSFER", 25), ("CARD", 25), ("COD", 10)),
        5,
    ),
)

MAX_SHOPS = len(DEMO_SHOPS)
