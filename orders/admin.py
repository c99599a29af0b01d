from django.contrib import admin

from sellercenter.admin_big_tables import BigTableAdmin

from .models import (
    CancellationRequest,
    LineItem,
    Order,
    Package,
    Product,
    ReturnRequest,
    Sku,
    StatusHistory,
    TrackingEvent,
)


class LineItemInline(admin.TabularInline):
    model = LineItem
    extra = 0
    raw_id_fields = ["package"]


class PackageInline(admin.TabularInline):
    model = Package
    extra = 0
    show_change_link = True


class StatusHistoryInline(admin.TabularInline):
    model = StatusHistory
    extra = 0
    raw_id_fields = ["actor"]


@admin.register(Order)
class OrderAdmin(BigTableAdmin):
    """Orders, newest first (the created-time index). A date filter with fixed choices replaces the date
    hierarchy, which read every order's date."""

    list_display = ["id", "shop", "status", "created_at", "buyer_name", "total", "currency"]
    list_filter = ["status", "shop", "payment_method", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["shop"]
    indexed_search = (("id", "exact"), ("buyer_email", "exact"), ("buyer_name", "prefix"))
    sortable_by = ["id", "created_at"]
    inlines = [LineItemInline, PackageInline, StatusHistoryInline]


@admin.register(Package)
class PackageAdmin(BigTableAdmin):
    list_display = ["id", "order_id", "carrier", "tracking_number", "status"]
    indexed_search = (("tracking_number", "exact"), ("order", "exact"))
    raw_id_fields = ["order"]
    ordering = ["-id"]
    sortable_by = ["id"]


@admin.register(TrackingEvent)
class TrackingEventAdmin(BigTableAdmin):
    list_display = ["package", "at", "location", "description"]
    list_select_related = ["package"]
    indexed_search = (("package__tracking_number", "exact"),)
    raw_id_fields = ["package"]
    ordering = ["-id"]


@admin.register(CancellationRequest)
class CancellationRequestAdmin(BigTableAdmin):
    list_display = ["id", "order_id", "status", "initiator", "reason", "requested_at"]
    list_filter = ["status"]
    indexed_search = (("order", "exact"),)
    raw_id_fields = ["order", "resolved_by"]
    ordering = ["-id"]


@admin.register(ReturnRequest)
class ReturnRequestAdmin(BigTableAdmin):
    list_display = ["id", "order_id", "return_type", "status", "refund_amount", "requested_at"]
    list_filter = ["return_type", "status"]
    indexed_search = (("order", "exact"),)
    raw_id_fields = ["order", "resolved_by"]
    ordering = ["-id"]


class SkuInline(admin.TabularInline):
    model = Sku
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "product_id", "shop", "category"]
    list_filter = ["shop", "category"]
    search_fields = ["name", "product_id", "skus__seller_sku"]
    inlines = [SkuInline]
