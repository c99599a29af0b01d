from decimal import Decimal

from django.db import models

ZERO = Decimal("0.00")


def MoneyField(verbose_name=None, **kwargs):  # noqa: N802 (reads like a field class)
    """Money is Decimal with two places; the currency lives on the order or shop."""
    kwargs.setdefault("default", ZERO)
    return models.DecimalField(verbose_name, max_digits=16, decimal_places=2, **kwargs)
