"""(order, product id, SKU id, seller SKU) on line items: a product or SKU search that matches many
orders is a correlated EXISTS probed once per order (orders.search); this index answers each probe
in one range of the index, where the order-id index alone made it read every line of the order
from the table. At 1,000,000 orders, a product name's tab badges probe ~10,000 orders each.

On SQLite the index gets planner statistics where the table's other indexes have them (see 0007):
without them the planner takes it for far more selective than it is."""

from django.db import migrations, models

NEW = "line_order_search"


def analyse_new_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if not cursor.fetchone():
            return
        cursor.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = 'orders_lineitem' AND idx != %s", [NEW])
        if cursor.fetchone():
            cursor.execute(f'ANALYZE "{NEW}"')


class Migration(migrations.Migration):
    dependencies = [("orders", "0007_list_speed_indexes")]

    operations = [
        migrations.AddIndex(model_name="lineitem", index=models.Index(
            fields=["order", "product_id", "sku_id", "seller_sku"], name=NEW)),
        migrations.RunPython(analyse_new_index, migrations.RunPython.noop),
    ]
