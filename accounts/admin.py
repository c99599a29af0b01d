from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from sellercenter.admin_big_tables import BigTableAdmin

from .models import AuditEvent, Membership, Shop


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class UserMembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["shop", "role"]
    verbose_name = "shop role"
    verbose_name_plural = "shops and roles"


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "country", "currency", "time_zone", "member_count"]
    list_filter = ["country", "currency"]
    search_fields = ["name", "code"]
    readonly_fields = ["created_at"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_members=Count("memberships"))

    @admin.display(description="members", ordering="_members")
    def member_count(self, shop):
        return shop._members


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "shop", "role", "created_at"]
    list_filter = ["shop", "role"]
    list_select_related = ["user", "shop"]
    search_fields = ["user__username", "user__email", "shop__name"]
    autocomplete_fields = ["user", "shop"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class SellerCenterUserAdmin(UserAdmin):
    inlines = [UserMembershipInline]
    list_display = ["username", "email", "is_active", "is_staff", "shops_and_roles"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships__shop")

    @admin.display(description="shops and roles")
    def shops_and_roles(self, user):
        return ", ".join(f"{m.shop.name}: {m.get_role_display()}" for m in user.memberships.all()) or "—"


class AuditShopFilter(admin.SimpleListFilter):
    """The event's shop, chosen among the shops (a filter on `shop_name` would list its DISTINCT values
    over the whole log); served by the (shop, at) index."""

    title = "shop"
    parameter_name = "shop"

    def lookups(self, request, model_admin):
        return [(str(shop.pk), shop.name) for shop in Shop.objects.order_by("name")]

    def queryset(self, request, queryset):
        return queryset.filter(shop_id=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(BigTableAdmin):
    """Read-only: the audit log is append-only, in admin as everywhere. Newest first (the time index);
    filters by kind and shop and the search by the actor's username each use an index of the log."""

    list_display = ["at", "kind", "actor_name", "ip_address", "shop_name", "target", "summary"]
    list_filter = ["kind", AuditShopFilter, ("at", admin.DateFieldListFilter)]
    indexed_search = (("actor__username", "exact"),)
    sortable_by = ["at"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
