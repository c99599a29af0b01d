"""Search terms drawn from the benchmark data's own frequency distribution.

A benchmark that searches for one recent order's buyer measures the easy case only: a first name
shared by 10,000 orders takes another path than one shared by three. So each searched column gives
three terms, chosen at start-up by a GROUP BY over the data set: the rarest value, the median one (of
the distinct values ordered by how many rows hold them) and the most common. Ties break by the value,
so the same data gives the same terms. Unique columns (tracking numbers) give the newest, middle and
oldest value instead.
"""

from dataclasses import dataclass

RANKS = ("rarest", "median", "most common")
# First words of the demo's buyer names that are titles, not names (besides every word ending in ".").
TITLES = ("Dr", "Mr", "Mrs", "Ms", "Miss", "Mx", "Quý", "Cô", "Chị", "Bà", "Anh", "Ông", "Em", "Cut", "Tgk", "R")


@dataclass(frozen=True)
class Term:
    column: str
    rank: str
    value: str
    matches: int


def spread(queryset, expression, column: str, leave_out=()) -> list[Term]:
    """The rarest, median and most common value of `expression` over `queryset` (blanks and `leave_out`
    left out)."""
    from django.db.models import Count

    counts = list(
        queryset.annotate(term=expression)
        .exclude(term__in=("", *leave_out))
        .values("term")
        .annotate(n=Count("*"))
        .order_by("n", "term")
        .values_list("term", "n")
    )
    if not counts:
        return []
    picks = (counts[0], counts[len(counts) // 2], counts[-1])
    return [Term(column, rank, value, n) for rank, (value, n) in zip(RANKS, picks)]


def first_names() -> list[Term]:
    """Buyers' first names: the name's first word (titles left out), as a buyer search matches words."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat, StrIndex, Substr

    from orders.models import Order

    first_word = Substr("buyer_name", 1, StrIndex(Concat(F("buyer_name"), Value(" ")), Value(" ")) - 1)
    orders = Order.objects.exclude(buyer_name__regex=r"^[^ ]*\.( |$)")
    return spread(orders, first_word, "buyer first name", TITLES)


def product_names() -> list[Term]:
    from django.db.models import F

    from orders.models import LineItem

    return spread(LineItem.objects.all(), F("product_name"), "product name")


def seller_skus() -> list[Term]:
    from django.db.models import F

    from orders.models import LineItem

    return spread(LineItem.objects.all(), F("seller_sku"), "seller SKU")


def cities() -> list[Term]:
    from django.db.models import F

    from orders.models import Order

    return spread(Order.objects.all(), F("ship_city"), "city")


def tracking_numbers() -> list[Term]:
    """Unique values: the newest, the middle and the oldest package's number (one match each)."""
    from orders.models import Package

    packages = Package.objects.exclude(tracking_number="").order_by("-id")
    total = packages.count()
    if not total:
        return []
    picks = (("newest", 0), ("middle", total // 2), ("oldest", total - 1))
    return [
        Term("tracking number", rank, packages.values_list("tracking_number", flat=True)[at], 1) for rank, at in picks
    ]


def all_terms() -> dict[str, list[Term]]:
    return {
        "buyer": first_names(),
        "product": product_names(),
        "sku": seller_skus(),
        "city": cities(),
        "tracking": tracking_numbers(),
    }


def describe(terms: dict[str, list[Term]]) -> list[str]:
    """One printable line per column: each rank's term and its number of matching rows."""
    return [
        f"# {group[0].column}: " + "; ".join(f"{t.rank} {t.value!r} ({t.matches:,})" for t in group)
        for group in terms.values()
        if group
    ]
