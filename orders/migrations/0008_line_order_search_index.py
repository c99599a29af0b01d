"""(order, product id, SKU id, seller SKU) on line items: a product or SKU search that matches many
orders is a correlated EXISTS probed once per order (orders.search); this index answers each probe
in one range of the index, where the order-id index alone made it read every line of the order
from the table. At 1,000,000 orders, a product name's tab badges probe ~10,000 orders each.

On SQLite the index gets planner statistics where the table's other indexes have them (see 0007):
without them the planner takes it for far more selective than it is."""

from django.db import migrations, models

from orders.migrations._index_statistics import analysing
from orders.migrations._operations import AddIndexSafely

NEW = "line_order_search"


analyse_new_index = analysing("orders_lineitem", [NEW])


class Migration(migrations.Migration):
    atomic = False  # indexes built CONCURRENTLY on PostgreSQL (see _operations)
    dependencies = [("orders", "0007_list_speed_indexes")]

    operations = [
        AddIndexSafely(
            model_name="lineitem", index=models.Index(fields=["order", "product_id", "sku_id", "seller_sku"], name=NEW)
        ),
        migrations.RunPython(analyse_new_index, migrations.RunPython.noop),
    ]
