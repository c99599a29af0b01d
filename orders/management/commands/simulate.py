import math
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, close_old_connections
from django.utils import timezone

from accounts.models import Shop
from orders.demo.simulation import Simulation

MAX_INTERVAL = 24 * 3600
MAX_ORDERS_PER_TICK = 1000


class Command(BaseCommand):
    help = (
        "Play the platform over time so demo shops look alive: new orders, payments, on-hold and unpaid "
        "time-outs, carrier collection and delivery, completion, buyer requests and messages. "
        "The seller's own actions are left to the UI. Stop with Ctrl+C."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=10.0, help="Seconds between ticks (default 10).")
        parser.add_argument("--ticks", type=int, default=0, help="How many ticks; 0 runs until Ctrl+C (default).")
        parser.add_argument(
            "--orders-per-tick", type=int, default=3, help="New orders per tick over all simulated shops (default 3)."
        )
        parser.add_argument("--shop", metavar="CODE", help="Only this shop (its shop code); default: all shops.")
        parser.add_argument("--seed", type=int, help="Random seed, for a repeatable run.")

    def handle(self, *args, interval, ticks, orders_per_tick, shop, seed, verbosity, **options):
        if not (math.isfinite(interval) and 0 <= interval <= MAX_INTERVAL):
            raise CommandError(f"--interval must be between 0 and {MAX_INTERVAL} seconds, not {interval}.")
        if ticks < 0:
            raise CommandError(f"--ticks must be 0 (run until Ctrl+C) or a positive number, not {ticks}.")
        if not 0 <= orders_per_tick <= MAX_ORDERS_PER_TICK:
            raise CommandError(f"--orders-per-tick must be between 0 and {MAX_ORDERS_PER_TICK}, not {orders_per_tick}.")
        if seed is not None and seed < 0:
            raise CommandError("--seed must be zero or a positive number.")
        shops = list(Shop.objects.filter(code=shop) if shop else Shop.objects.all())
        if not shops:
            raise CommandError(
                f"There is no shop with the code {shop!r}."
                if shop
                else "There are no shops yet; run `manage.py seed_demo` first."
            )
        simulation = Simulation(shops, orders_per_tick=orders_per_tick, seed=seed)
        if orders_per_tick and not simulation.can_place:
            self.stderr.write(
                self.style.WARNING(
                    "No products in these shops, so no new orders will arrive (seed_demo creates a catalogue)."
                )
            )
        if verbosity:
            names = ", ".join(s.name for s in shops)
            self.stdout.write(
                f"Simulating {names}, a tick every {interval:g} s"
                + (f", {ticks} tick(s)." if ticks else "; Ctrl+C to stop.")
            )
        done = 0
        try:
            while not ticks or done < ticks:
                if done:
                    time.sleep(interval)
                self._tick(simulation, done + 1, verbosity)
                done += 1
        except KeyboardInterrupt:
            self.stdout.write(f"\nStopped after {done} tick(s).")

    def _tick(self, simulation, number, verbosity):
        now = timezone.now()
        try:
            counts = simulation.tick(now)
        except OperationalError as error:
            # A busy or dropped database should not end a run meant to last all day; the next tick retries
            # (each kind of move is its own transaction, so what was done stays done).
            self.stderr.write(self.style.WARNING(f"tick {number}: database error, retrying next tick: {error}"))
            close_old_connections()
            return
        if verbosity:
            happened = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items() if n)
            self.stdout.write(f"tick {number} at {now:%H:%M:%S}: {happened or 'nothing happened'}")
