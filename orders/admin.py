from django.contrib import admin

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
class OrderAdmin(admin.ModelAdmin):
    list_display = ["id", "shop", "status", "created_at", "buyer_name", "total", "currency"]
    list_filter = ["status", "shop", "payment_method"]
    list_select_related = ["shop"]
    search_fields = ["=id", "buyer_name", "buyer_email"]
    date_hierarchy = "created_at"
    show_full_result_count = False  # no COUNT(*) over millions of rows on every page
    inlines = [LineItemInline, PackageInline, StatusHistoryInline]


@admin.register(Package)
class PackageAdmin(admin.ModelAdmin):
    list_display = ["id", "order", "carrier", "tracking_number", "status"]
    search_fields = ["=tracking_number", "=order__id"]
    raw_id_fields = ["order"]
    show_full_result_count = False


@admin.register(TrackingEvent)
class TrackingEventAdmin(admin.ModelAdmin):
    list_display = ["package", "at", "location", "description"]
    raw_id_fields = ["package"]
    show_full_result_count = False


@admin.register(CancellationRequest)
class CancellationRequestAdmin(admin.ModelAdmin):
    list_display = ["order", "status", "initiator", "reason", "requested_at"]
    list_filter = ["status"]
    raw_id_fields = ["order", "resolved_by"]


@admin.register(ReturnRequest)
class ReturnRequestAdmin(admin.ModelAdmin):
    list_display = ["order", "return_type", "status", "refund_amount", "requested_at"]
    list_filter = ["return_type", "status"]
    raw_id_fields = ["order", "resolved_by"]


class SkuInline(admin.TabularInline):
    model = Sku
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "product_id", "shop", "category"]
    list_filter = ["shop", "category"]
    search_fields = ["name", "product_id", "skus__seller_sku"]
    inlines = [SkuInline]
