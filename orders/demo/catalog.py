"""A small catalogue per shop: products with colour/size variants and base prices."""

import random
from dataclasses import dataclass
from decimal import Decimal

from .shops import DemoShop

COLORS = ("Black", "White", "Navy", "Red", "Sage Green", "Beige", "Pink", "Grey")
APPAREL_SIZES = ("XS", "S", "M", "L", "XL")

# (category, product names, base USD price range, sizes or None)
PRODUCT_LINES = (
    (
        "Apparel",
        (
            "Oversized Cotton Tee",
            "Ribbed Crop Top",
            "High-Waist Cargo Pants",
            "Fleece Hoodie",
            "Linen Summer Dress",
            "Denim Jacket",
            "Seamless Leggings",
            "Puffer Vest",
        ),
        (9, 69),
        APPAREL_SIZES,
    ),
    (
        "Beauty",
        (
            "Vitamin C Serum 30ml",
            "Matte Liquid Lipstick",
            "Hydrating Sheet Mask (10 pack)",
            "Sunscreen SPF50 50ml",
            "Volumising Mascara",
            "Hair Repair Oil",
        ),
        (6, 39),
        None,
    ),
    (
        "Home",
        (
            "Ceramic Pour-Over Set",
            "Linen Throw Pillow Cover",
            "LED Sunset Lamp",
            "Bamboo Storage Box",
            "Scented Soy Candle",
            "Waffle Bath Towel",
        ),
        (8, 59),
        None,
    ),
    (
        "Electronics",
        (
            "Wireless Earbuds Pro",
            "Magnetic Phone Mount",
            "65W GaN Charger",
            "Mini Projector",
            "Ring Light 10in",
            "Portable Power Bank 20000mAh",
        ),
        (12, 129),
        None,
    ),
    (
        "Sports",
        (
            "Yoga Mat 6mm",
            "Adjustable Dumbbell 10kg",
            "Resistance Band Set",
            "Running Belt",
            "Insulated Water Bottle 1L",
        ),
        (7, 89),
        None,
    ),
)


@dataclass(frozen=True)
class CatalogSku:
    product_id: str
    product_name: str
    sku_id: str
    seller_sku: str
    color: str
    size: str
    price: Decimal

    @property
    def sku_name(self):
        return ", ".join(p for p in (self.color, self.size) if p)


def build_catalog(shop: DemoShop, shop_index: int, rng: random.Random) -> list[CatalogSku]:
    skus = []
    product_no = 0
    for _category, names, (low, high), sizes in PRODUCT_LINES:
        for name in names:
            product_no += 1
            product_id = f"17{shop_index:02d}{product_no:04d}{rng.randrange(10**8):08d}"
            base = Decimal(rng.randint(low * 100, high * 100)) / 100
            price = (base * shop.price_scale).quantize(shop.money_exponent)
            if shop.money_exponent == 1:
                price = (price / 1000).quantize(Decimal("1")) * 1000 - 100 if price > 1000 else price
            colors = rng.sample(COLORS, rng.randint(1, 4))
            for color in colors:
                for size in sizes or ("",):
                    sku_no = len(skus) + 1
                    prefix = "".join(word[0] for word in name.split()[:3]).upper()
                    seller_sku = f"{prefix}-{color[:3].upper()}{'-' + size if size else ''}-{sku_no:03d}"
                    skus.append(
                        CatalogSku(
                            product_id=product_id,
                            product_name=name,
                            sku_id=f"{product_id[:-3]}{sku_no:05d}",
                            seller_sku=seller_sku,
                            color=color,
                            size=size,
                            price=price,
                        )
                    )
    return skus
