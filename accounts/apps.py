from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts, shops and roles"

    def ready(self):
        from . import audit_receivers, signals  # noqa: F401  (permission sync; audit rows for outside events)
