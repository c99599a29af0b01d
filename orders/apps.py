from django.apps import AppConfig
from django.db.backends.signals import connection_created


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders"

    def ready(self):
        from .buyer_words import register

        connection_created.connect(register, dispatch_uid="orders.buyer_words")
