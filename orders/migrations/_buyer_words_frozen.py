"""The buyer-word folding as migrations 0011 and 0012 ran it, frozen here: a migration must build the
same words whatever orders.buyer_words later becomes (a test checks the two still agree)."""

import json
import re
import unicodedata

TABLE = "orders_buyer_word"
STALE = "orders_buyer_word_stale"
FUNCTION = "sc_buyer_words"  # 0011's triggers called it; 0012 replaced them with triggers in plain SQL
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans(
    {
        "đ": "d",
        "Đ": "d",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
    }
)
_WORD = re.compile(r"[^\W_]+")


def fold(text):
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_LETTERS_WITHOUT_DECOMPOSITION))
    bare = "".join(char for char in decomposed if not unicodedata.category(char).startswith("M"))
    return _WORD.findall(bare.casefold())


def words(name, nickname):
    return sorted(set(fold(name) + fold(nickname)))


def words_json(name, nickname):
    return json.dumps(words(name, nickname))


def register_function(connection):
    """0011's SQL calls FUNCTION: give this SQLite connection the frozen one while the migration runs."""
    connection.ensure_connection()
    connection.connection.create_function(FUNCTION, 2, words_json, deterministic=True)


def build_queued(connection, batch=5_000):
    """Fold the words of every order queued in STALE, a committed batch at a time (as catch_up does)."""
    created = "CAST(created_at AS TEXT)" if connection.vendor == "sqlite" else "created_at"
    while True:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT order_id FROM {STALE} ORDER BY order_id LIMIT %s", [batch])
            ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                return
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(f"DELETE FROM {TABLE} WHERE order_id IN ({marks})", ids)
            cursor.execute(
                f"SELECT id, shop_id, status, {created}, buyer_name, buyer_nickname FROM orders_order "
                f"WHERE id IN ({marks})",
                ids,
            )
            rows = [
                (word, pk, shop, status, at)
                for pk, shop, status, at, name, nick in cursor.fetchall()
                for word in words(name, nick)
            ]
            if rows:
                cursor.executemany(
                    f"INSERT INTO {TABLE} (word, order_id, shop_id, status, created_at) VALUES (%s, %s, %s, %s, %s)",
                    rows,
                )
            cursor.execute(f"DELETE FROM {STALE} WHERE order_id IN ({marks})", ids)
