"""The words of buyers' names and nicknames, for the list's buyer search on SQLite (migration 0011).

One row per (word, order) with the order's shop, status and created time, in a table clustered by
word: the orders whose buyer has a word starting with "quy" are one contiguous range, read with what
the list needs of them (shops, tab counts, the newest first) without looking each order up. A common
first name matches thousands of orders at a million; looked up one by one they cost more than the
rest of the page. Triggers keep the table in step with the orders; the words are folded in Python
(lower case, accents off) by a function that every SQLite connection registers (see OrdersConfig).
PostgreSQL searches the name column instead.
"""

import json
import re
import unicodedata
from operator import itemgetter

TABLE = "orders_buyer_word"
FUNCTION = "sc_buyer_words"  # (name, nickname) -> JSON list of their folded words
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({
    "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
    "ı": "i", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th"})
_WORD = re.compile(r"[^\W_]+")
_LAST = "\U0010ffff"  # sorts after any character: word < prefix + _LAST holds every word starting with prefix


def fold(text: str) -> list[str]:
    """The words of a text, in lower case without accents: "Nguyễn Thị Quý" -> ["nguyen", "thi", "quy"]."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_LETTERS_WITHOUT_DECOMPOSITION))
    bare = "".join(char for char in decomposed if not unicodedata.category(char).startswith("M"))
    return _WORD.findall(bare.casefold())


def words_json(name, nickname) -> str:
    """What the triggers store for an order: its buyer's distinct words."""
    return json.dumps(sorted(set(fold(name) + fold(nickname))))


def register(sender, connection, **kwargs):
    """connection_created: every SQLite connection can run the triggers that call FUNCTION."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 2, words_json, deterministic=True)


def matching(words: list[str], shop_ids=None, columns="DISTINCT order_id") -> tuple[str, list]:
    """SQL for the orders with, for every word typed, a word starting with it ("ali walk": Alice
    Walker): the range of the first word, each other word checked in its own range."""
    first, *others = words
    where = ["word >= %s", "word < %s"]
    params = [first, first + _LAST]
    if shop_ids is not None:
        where.append(f"shop_id IN ({', '.join(['%s'] * len(shop_ids))})")
        params += list(shop_ids)
    for word in others:
        where.append(f"order_id IN (SELECT order_id FROM {TABLE} WHERE word >= %s AND word < %s)")
        params += [word, word + _LAST]
    return f"SELECT {columns} FROM {TABLE} WHERE {' AND '.join(where)}", params


def read_keys(words: list[str], shop_ids, limit: int, *, using) -> list[tuple]:
    """[(shop, status, created as stored, id)] of at most `limit` matching orders of these shops, read
    from the word ranges alone. An order appears once even when two of its words start alike."""
    from django.db import connections

    if not shop_ids:
        return []
    sql, params = matching(words, shop_ids, columns="shop_id, status, created_at, order_id")
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    distinct = dict(zip(map(itemgetter(3), rows), rows))  # the same order under two words: one row
    return list(distinct.values())[:limit]
