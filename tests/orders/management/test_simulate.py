from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError

from orders.demo.simulation import Simulation
from orders.models import Order
from tests.factories import ProductFactory, ShopFactory, SkuFactory

pytestmark = pytest.mark.django_db


def shop_with_catalogue(**fields):
    shop = ShopFactory(**fields)
    SkuFactory.create_batch(4, product=ProductFactory(shop=shop), price=Decimal("15.00"))
    return shop


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("simulate", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_one_tick_places_the_orders_and_stops():
    shop = shop_with_catalogue()
    output = run("--ticks=1", "--interval=0", "--orders-per-tick=4", "--seed=5")
    assert Order.objects.filter(shop=shop).count() == 4
    assert "tick 1" in output and "4 placed" in output
    assert "tick 2" not in output


def test_several_ticks_without_waiting(monkeypatch):
    shop_with_catalogue()
    naps = []
    monkeypatch.setattr("orders.management.commands.simulate.time.sleep", naps.append)
    run("--ticks=3", "--interval=7", "--orders-per-tick=2")
    assert Order.objects.count() == 6
    assert naps == [7, 7]  # between ticks, not after the last


def test_shop_option_limits_the_simulation_to_one_shop():
    chosen, other = shop_with_catalogue(), shop_with_catalogue()
    run("--ticks=1", "--interval=0", f"--shop={chosen.code}")
    assert Order.objects.filter(shop=chosen).count() == 3
    assert not Order.objects.filter(shop=other).exists()


def test_runs_until_interrupted(monkeypatch):
    shop_with_catalogue()
    calls = []

    def tick(self, now=None):
        calls.append(now)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return {"placed": 0}

    monkeypatch.setattr(Simulation, "tick", tick)
    output = run("--interval=0")  # --ticks defaults to 0: forever
    assert len(calls) == 3
    assert "Stopped after 2 tick(s)" in output


def test_a_database_error_skips_the_tick_and_the_run_goes_on(monkeypatch):
    shop_with_catalogue()
    calls = []

    def tick(self, now=None):
        calls.append(now)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return {"placed": 1}

    monkeypatch.setattr(Simulation, "tick", tick)
    # Reconnecting would break the test's own transaction; the real run does it.
    monkeypatch.setattr("orders.management.commands.simulate.close_old_connections", lambda: None)
    output = run("--ticks=2", "--interval=0")
    assert "tick 1: database error" in output and "tick 2 at" in output and "1 placed" in output


def test_warns_when_no_shop_has_a_catalogue():
    ShopFactory()
    output = run("--ticks=1", "--interval=0")
    assert "No products" in output and "nothing happened" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--interval=-1"], "--interval must be between 0 and"),
        (["--interval=nan"], "--interval must be between 0 and"),
        (["--interval=soon"], "invalid float value"),
        (["--ticks=-2"], "--ticks must be 0"),
        (["--ticks=many"], "invalid int value"),
        (["--orders-per-tick=-1"], "--orders-per-tick must be between 0 and"),
        (["--orders-per-tick=1000000"], "--orders-per-tick must be between 0 and"),
        (["--seed=-4"], "--seed must be zero or a positive number"),
        (["--shop=NO_SUCH_SHOP"], "no shop with the code 'NO_SUCH_SHOP'"),
    ],
)
def test_nonsense_arguments_are_refused(args, message):
    shop_with_catalogue()
    with pytest.raises(CommandError, match=message):
        run("--ticks=1", *args)
    assert not Order.objects.exists()


def test_refuses_to_run_without_shops():
    with pytest.raises(CommandError, match="no shops yet"):
        run("--ticks=1", "--interval=0")
