from django.db import models

from .money import MoneyField


class Product(models.Model):
    """A shop's catalogue entry; orders keep their own snapshot in LineItem."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="products")
    product_id = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=255)
    category = models.CharField(max_length=64)

    class Meta:
        ordering = ["shop", "name"]

    def __str__(self):
        return self.name


class Sku(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="skus")
    sku_id = models.CharField(max_length=32, unique=True)
    seller_sku = models.CharField(max_length=64)
    color = models.CharField(max_length=40, blank=True)
    size = models.CharField(max_length=20, blank=True)
    price = MoneyField()

    class Meta:
        ordering = ["product", "sku_id"]
        verbose_name = "SKU"

    def __str__(self):
        return f"{self.seller_sku} ({self.name})"

    @property
    def name(self):
        return ", ".join(part for part in (self.color, self.size) if part)
