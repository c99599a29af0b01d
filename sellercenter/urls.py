from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("orders.urls")),
    path("", include("exports.urls")),
    path("", include("partner_api.urls")),
    path("", include("analytics.urls")),
]

handler403 = "accounts.views.errors.permission_denied"
handler500 = "accounts.views.errors.server_error"
