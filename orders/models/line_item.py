from django.db import models

from orders.statuses import OrderStatus

from .money import MoneyField


class LineItem(models.Model):
    """One SKU line of an order: a snapshot of the product as it was sold."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="lines")
    product_id = models.CharField(max_length=32)
    product_name = models.CharField(max_length=255)
    sku_id = models.CharField("SKU id", max_length=32)
    seller_sku = models.CharField("seller SKU", max_length=64, blank=True)
    sku_name = models.CharField("variation", max_length=128, blank=True)
    color = models.CharField(max_length=40, blank=True)
    size = models.CharField(max_length=20, blank=True)
    quantity = models.PositiveIntegerField()
    original_price = MoneyField("unit original price")
    sale_price = MoneyField("unit sale price", help_text="Unit price after the seller's discount.")
    seller_discount = MoneyField(help_text="For the whole line.")
    platform_discount = MoneyField(help_text="For the whole line.")
    status = models.CharField(max_length=32, choices=OrderStatus.choices)
    package = models.ForeignKey(
        "orders.Package", null=True, blank=True, on_delete=models.SET_NULL, related_name="lines"
    )

    class Meta:
        ordering = ["order", "id"]
        indexes = [
            models.Index(fields=["seller_sku"], name="line_seller_sku"),
            models.Index(fields=["sku_id"], name="line_sku_id"),
            models.Index(fields=["product_id"], name="line_product_id"),
            # a search's EXISTS probe per order (orders.search) checks the line's columns in the index alone
            models.Index(fields=["order", "product_id", "sku_id", "seller_sku"], name="line_order_search"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="line_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.product_name} ({self.sku_name})"

    @property
    def original_total(self):
        return self.original_price * self.quantity

    @property
    def line_total(self):
        return self.original_total - self.seller_discount - self.platform_discount
