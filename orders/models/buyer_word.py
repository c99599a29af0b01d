"""The buyer-name words table and its queue, as Django sees them (orders.buyer_words builds and reads
them; migrations 0011 and 0012 create them with their triggers). Unmanaged: the schema is the
migrations' SQL (a clustered table on SQLite, a covering primary key on PostgreSQL), never Django's."""

from django.db import models


class BuyerWord(models.Model):
    """One folded word of an order's buyer name or nickname, with what the list reads beside it."""

    pk = models.CompositePrimaryKey("word", "order_id")
    word = models.TextField()
    order_id = models.BigIntegerField()
    shop_id = models.BigIntegerField()
    status = models.CharField(max_length=32)
    created_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "orders_buyer_word"


class StaleBuyerWords(models.Model):
    """An order whose words are to be (re)built: queued by the triggers, emptied by catch_up()."""

    order_id = models.BigIntegerField(primary_key=True)

    class Meta:
        managed = False
        db_table = "orders_buyer_word_stale"
