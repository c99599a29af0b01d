"""Indexes for the list page at a million orders.

- (shop, created, id, refunded amount) and (shop, status, created, id): a shop's (tab's) orders in list
  order, and the order id a filter's EXISTS correlates on, from the index alone (the id is not SQLite's
  rowid); with the refunded amount, as refunds are on older orders far down the list.
- (shop, status, column) for the tab badges under a filter: a status's matches counted in the index,
  where the filter's own index would look up every match's status in the table. The has-message and
  billing-differs filters are written on the same expressions as their indexes (see models.order).
- (shop, status, ship-by, id): "To ship" by deadline and "Shipping overdue" from the index alone.

On SQLite, where the order table's other indexes have planner statistics (seed_demo runs ANALYZE),
the new indexes get theirs too: an index without them looks far more selective than it is to the
planner, which then prefers it over every analysed one (e.g. for a lookup by primary key). Where the
table has none (never analysed, or rebuilt by a migration since), none are added: statistics for
only the new indexes would mislead the planner the other way round."""

from django.db import migrations, models
from django.db.models import F, Q
from django.db.models.functions import Cast, Length

from orders.migrations._index_statistics import analysing
from orders.migrations._operations import AddIndexSafely, RemoveIndexSafely

# as orders.models.order.ADDRESSES_DIFFER when this was written
ADDRESSES_DIFFER = Cast(
    models.ExpressionWrapper(
        ~Q(bill_country=F("ship_country")) | ~Q(bill_postcode=F("ship_postcode")) | ~Q(bill_line1=F("ship_line1")),
        output_field=models.BooleanField(),
    ),
    models.IntegerField(),
)

NEW = [
    "order_shop_created_refunded",
    "order_shop_status_created_id",
    "order_shop_status_payment",
    "order_shop_status_carrier",
    "order_shop_status_total",
    "order_shop_status_paid",
    "order_shop_status_ship_by",
    "order_shop_status_refunded",
    "order_shop_status_message",
    "order_shop_status_billing",
]


analyse_new_indexes = analysing("orders_order", NEW)


def index(*fields, name):
    if all(isinstance(field, str) for field in fields):
        return AddIndexSafely(model_name="order", index=models.Index(fields=list(fields), name=name))
    return AddIndexSafely(model_name="order", index=models.Index(*fields, name=name))


class Migration(migrations.Migration):
    atomic = False  # indexes built CONCURRENTLY on PostgreSQL (see _operations)
    dependencies = [("orders", "0006_buyer_name_search")]

    operations = [
        RemoveIndexSafely(model_name="order", name="order_shop_created"),
        index("shop", "created_at", "id", "refunded_amount", name="order_shop_created_refunded"),
        RemoveIndexSafely(model_name="order", name="order_shop_status_created"),
        index("shop", "status", "created_at", "id", name="order_shop_status_created_id"),
        index("shop", "status", "payment_method", name="order_shop_status_payment"),
        index("shop", "status", "carrier", name="order_shop_status_carrier"),
        index("shop", "status", "total", name="order_shop_status_total"),
        index("shop", "status", "paid_at", name="order_shop_status_paid"),
        index("shop", "status", "rts_sla_at", "id", name="order_shop_status_ship_by"),
        index("shop", "status", "refunded_amount", name="order_shop_status_refunded"),
        index(F("shop"), F("status"), Length("buyer_message"), name="order_shop_status_message"),
        index(F("shop"), F("status"), ADDRESSES_DIFFER, Length("bill_line1"), name="order_shop_status_billing"),
        migrations.RunPython(analyse_new_indexes, migrations.RunPython.noop),
    ]
