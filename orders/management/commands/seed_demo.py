from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from orders.demo.seed import seed_demo
from orders.demo.shops import MAX_SHOPS
from orders.demo.users import DEMO_PASSWORD, ensure_demo_users, two_factor_note

MAX_ORDERS = 5_000_000


class Command(BaseCommand):
    help = "Create the demo shops, users and a deterministic, coherent set of orders."

    def add_arguments(self, parser):
        parser.add_argument("--orders", type=int, default=20_000, help="How many orders (default 20,000).")
        parser.add_argument("--shops", type=int, default=4, help=f"How many demo shops, 1 to {MAX_SHOPS}.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed: same seed, same data.")
        parser.add_argument("--now", help="Pretend it is this UTC moment (ISO 8601); default: now.")
        parser.add_argument("--reset", action="store_true", help="Replace the demo shops' existing orders.")

    def handle(self, *args, orders, shops, seed, now, reset, verbosity, **options):
        if not 0 <= orders <= MAX_ORDERS:
            raise CommandError(f"--orders must be between 0 and {MAX_ORDERS:,}, not {orders:,}.")
        if not 1 <= shops <= MAX_SHOPS:
            raise CommandError(f"--shops must be between 1 and {MAX_SHOPS}, not {shops}.")
        if seed < 0:
            raise CommandError("--seed must be zero or a positive number.")
        moment = self._parse_now(now)

        def progress(done, total):
            if verbosity >= 2 or (verbosity and done == total):
                self.stdout.write(f"  {done:,} / {total:,} orders")

        result = seed_demo(orders, shops, seed, moment, reset, progress)
        people = ensure_demo_users(result.shops)
        if result.skipped_because_present:
            self.stdout.write(
                self.style.WARNING(
                    f"The demo shops already hold {result.skipped_because_present:,} orders; left as they are "
                    "(use --reset to rebuild them)."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Seeded {result.orders_created:,} orders in {len(result.shops)} shops in {result.seconds:.1f} s."
                )
            )
            if verbosity:
                for phase, seconds in result.phases:
                    self.stdout.write(f"  {seconds:8.1f} s  {phase}")
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
        for username, role, shop_names in people:
            self.stdout.write(f"  {username:<11} {role:<26} {shop_names}")
        self.stdout.write(two_factor_note())

    def _parse_now(self, value):
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise CommandError(
                f"--now must be an ISO 8601 moment such as 2026-11-26T12:00:00Z, not {value!r}."
            ) from None
        if moment.tzinfo is None:
            raise CommandError("--now needs a time zone, for example 2026-11-26T12:00:00Z.")
        return moment
