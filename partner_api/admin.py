from django.contrib import admin, messages
from django.utils import timezone

from sellercenter.admin_big_tables import BigTableAdmin

from .models import ApiApp, Grant, WebhookDelivery
from .webhooks import ORDER_STATUS_CHANGE


@admin.register(ApiApp)
class ApiAppAdmin(admin.ModelAdmin):
    list_display = ["name", "app_key", "webhook_url", "created_by", "created_at", "revoked_at"]
    search_fields = ["name", "app_key"]
    readonly_fields = ["app_key", "created_at", "revoked_at"]
    exclude = ["app_secret"]  # shown once, on the Seller Center page that registers the app
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = obj.created_by if obj.created_by_id else request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        messages.warning(
            request, f"app_key {obj.app_key}, app_secret {obj.app_secret}: copy the secret now, it is not shown again."
        )
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description="Revoke the selected apps (their tokens stop working at once)")
    def revoke(self, request, queryset):
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ["app", "authorised_by", "created_at", "access_expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    readonly_fields = [
        "app",
        "shops",
        "authorised_by",
        "open_id",
        "access_expires_at",
        "refresh_expires_at",
        "created_at",
        "revoked_at",
    ]
    exclude = ["access_token_hash", "refresh_token_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # grants come from an Administrator's authorisation only

    @admin.action(description="Revoke the selected grants")
    def revoke(self, request, queryset):
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


class EventTypeFilter(admin.SimpleListFilter):
    """The event types the product sends (a filter on the column itself would list its DISTINCT values)."""

    title = "event type"
    parameter_name = "event_type"

    def lookups(self, request, model_admin):
        return [(ORDER_STATUS_CHANGE, ORDER_STATUS_CHANGE)]

    def queryset(self, request, queryset):
        return queryset.filter(event_type=self.value()) if self.value() else queryset


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(BigTableAdmin):
    """Deliveries, newest first by id (no index on the created time; ids grow with it)."""

    list_display = [
        "created_at",
        "app",
        "event_type",
        "status",
        "attempts",
        "last_status_code",
        "next_try_at",
        "delivered_at",
    ]
    list_filter = ["status", EventTypeFilter]
    list_select_related = ["app"]
    ordering = ["-id"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
