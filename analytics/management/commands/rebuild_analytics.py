from django.core.management.base import BaseCommand

from accounts.models import Shop
from analytics.services.rollup import rebuild_shop


class Command(BaseCommand):
    help = "Rebuild the analytics daily rollup from the orders (all shops, or those given by code)."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="shop codes (default: every shop)")

    def handle(self, *args, codes, **options):
        shops = Shop.objects.filter(code__in=codes) if codes else Shop.objects.all()
        for shop in shops:
            rebuild_shop(shop)
            self.stdout.write(f"{shop.code}: rebuilt")
