"""(id, shop, status, created) on orders: the list reads every match of a bounded search (up to 20,000
buyer-name FTS rowids, or ids read first) for its shops, tab counts and page; through the primary
key each match was a lookup in the order's wide row (~40 ms for 8,000 matches at 1,000,000 orders),
through this index ~20 ms. On SQLite the index gets planner statistics where the table's other
indexes have them (see 0007)."""

from django.db import migrations, models

from orders.migrations._index_statistics import analysing
from orders.migrations._operations import AddIndexSafely

NEW = "order_id_shop_status_created"


analyse_new_index = analysing("orders_order", [NEW])


class Migration(migrations.Migration):
    atomic = False  # indexes built CONCURRENTLY on PostgreSQL (see _operations)
    dependencies = [("orders", "0009_order_shop_status_city")]

    operations = [
        AddIndexSafely(model_name="order", index=models.Index(fields=["id", "shop", "status", "created_at"], name=NEW)),
        migrations.RunPython(analyse_new_index, migrations.RunPython.noop),
    ]
