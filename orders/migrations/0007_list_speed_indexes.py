"""Indexes for the list page at a million orders: (shop, created, id) for deep pages in list order,
(shop, status, column) for the tab badges under a filter, (shop, refunded amount) for "Refunded".

On SQLite a database that holds planner statistics (seed_demo runs ANALYZE) gets statistics for the
new indexes too: an index without them looks far more selective than it is to the planner, which
then prefers it over every analysed one (e.g. for a lookup by primary key)."""

from django.db import migrations, models

NEW = ["order_shop_created_id", "order_shop_status_payment", "order_shop_status_carrier", "order_shop_status_total",
       "order_shop_status_paid", "order_shop_status_refunded", "order_shop_refunded"]


def analyse_new_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return  # PostgreSQL's autovacuum keeps its statistics; an index needs none of its own
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone():
            for name in NEW:
                cursor.execute(f'ANALYZE "{name}"')


class Migration(migrations.Migration):
    dependencies = [("orders", "0006_buyer_name_search")]

    operations = [
        migrations.RemoveIndex(model_name="order", name="order_shop_created"),
        migrations.AddIndex(model_name="order", index=models.Index(
            fields=["shop", "created_at", "id"], name="order_shop_created_id")),
        migrations.AddIndex(model_name="order", index=models.Index(
            fields=["shop", "status", "payment_method"], name="order_shop_status_payment")),
        migrations.AddIndex(model_name="order", index=models.Index(
            fields=["shop", "status", "carrier"], name="order_shop_status_carrier")),
        migrations.AddIndex(model_name="order", index=models.Index(
            fields=["shop", "status", "total"], name="order_shop_status_total")),
        migrations.AddIndex(model_name="order", index=models.Index(
            fields=["shop", "status", "paid_at"], name="order_shop_status_paid")),
        migrations.AddIndex(model_name="order", index=models.Index(
            fields=["shop", "status", "refunded_amount"], name="order_shop_status_refunded")),
        migrations.AddIndex(model_name="order", index=models.Index(
            fields=["shop", "refunded_amount"], name="order_shop_refunded")),
        migrations.RunPython(analyse_new_indexes, migrations.RunPython.noop),
    ]
