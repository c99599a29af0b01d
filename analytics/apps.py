from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "analytics"
    verbose_name = "Analytics"

    def ready(self):
        from . import receivers  # noqa: F401  (keeps the daily rollup in step with the orders)
