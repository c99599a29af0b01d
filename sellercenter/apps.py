from django.contrib.admin.apps import AdminConfig


class SellerCenterAdminConfig(AdminConfig):
    """Django admin, served by the two-factor admin site (see admin_site.py)."""

    default_site = "sellercenter.admin_site.SellerCenterAdminSite"
