"""The words of buyers' names and nicknames: the order list's buyer search, alike on both databases.

One row per (word, order) with the order's shop, status and created time, in a table ordered by word
(migrations 0011, 0012; the unmanaged model orders.models.BuyerWord): the orders whose buyer has a word
starting with "quy" are one contiguous index range, read with what the list needs of them (shops, tab
counts, the newest first) without looking each order up. A common first name matches thousands of
orders at a million; looked up one by one they cost more than the rest of the page.

Words are folded here, in Python (lower case, accents and marks off, a few letters mapped), so both
databases match the same orders. Database triggers need no Python: a new order or a renamed buyer is
queued in STALE by plain SQL (any writer works: the sqlite3 shell, psql, another program), a status,
shop or created-time change is copied onto the words in SQL, a deleted order's words are deleted.
catch_up() folds the queued orders' words; it runs before every buyer search and after the seed.
"""

import re
import unicodedata
from operator import itemgetter

from django.db import DEFAULT_DB_ALIAS, connections, transaction

TABLE = "orders_buyer_word"
STALE = "orders_buyer_word_stale"  # orders whose words are to be (re)built
CATCH_UP_BATCH = 5_000
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
_LAST = "\U0010ffff"  # sorts after any character: word < prefix + _LAST holds every word starting with prefix


def fold(text: str) -> list[str]:
    """The words of a text, in lower case without accents: "Nguyễn Thị Quý" -> ["nguyen", "thi", "quy"]."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_LETTERS_WITHOUT_DECOMPOSITION))
    bare = "".join(char for char in decomposed if not unicodedata.category(char).startswith("M"))
    return _WORD.findall(bare.casefold())


def words_of(name, nickname) -> list[str]:
    """An order's stored words: its buyer's distinct words."""
    return sorted(set(fold(name) + fold(nickname)))


def catch_up(using: str = DEFAULT_DB_ALIAS, batch: int = CATCH_UP_BATCH) -> int:
    """Build the words of the orders the triggers queued; returns how many orders were done.

    Each batch is claimed and rebuilt in one transaction (on PostgreSQL SKIP LOCKED: two processes
    catching up at once take different orders), so a search never sees an order half rebuilt."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {STALE} LIMIT 1")
        if cursor.fetchone() is None:
            return 0
    done = 0
    while True:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            ids = _claim(cursor, connection.vendor, batch)
            if not ids:
                return done
            _rebuild(cursor, connection.vendor, ids)
            done += len(ids)


def _claim(cursor, vendor: str, batch: int) -> list[int]:
    lock = " FOR UPDATE SKIP LOCKED" if vendor == "postgresql" else ""
    cursor.execute(
        f"DELETE FROM {STALE} WHERE order_id IN "
        f"(SELECT order_id FROM {STALE} ORDER BY order_id LIMIT %s{lock}) RETURNING order_id",
        [batch],
    )
    return [row[0] for row in cursor.fetchall()]


def _rebuild(cursor, vendor: str, ids: list[int]) -> None:
    placeholders = ", ".join(["%s"] * len(ids))
    cursor.execute(f"DELETE FROM {TABLE} WHERE order_id IN ({placeholders})", ids)
    # On SQLite the time is copied as stored (text without a declared type: no driver conversion both ways),
    # so the words' keys sort exactly as the orders' own index does.
    created = "CAST(created_at AS TEXT)" if vendor == "sqlite" else "created_at"
    cursor.execute(
        f"SELECT id, shop_id, status, {created}, buyer_name, buyer_nickname FROM orders_order "
        f"WHERE id IN ({placeholders})",
        ids,
    )
    rows = [
        (word, pk, shop_id, status, created_at)
        for pk, shop_id, status, created_at, name, nickname in cursor.fetchall()
        for word in words_of(name, nickname)
    ]
    if rows:
        cursor.executemany(
            f"INSERT INTO {TABLE} (word, order_id, shop_id, status, created_at) VALUES (%s, %s, %s, %s, %s)", rows
        )


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


def count_orders(words: list[str], limit: int, *, using: str) -> int:
    """How many orders match, or a number above `limit` when more do.

    The (word, order) rows are counted first, up to `limit`: at least as many as the orders, so a
    bound without telling the ids apart. A common first name also starts many nicknames ("michael"
    and "michaelhull3246" of one buyer: two rows, one order): beyond `limit` rows, the distinct
    orders among up to 4 x `limit` rows are counted, as a name rarely starts more than a few words."""
    limit = max(limit, 0)
    rows, params = matching(words, columns="order_id")
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({rows} LIMIT %s) counted", [*params, limit + 1])
        count = cursor.fetchone()[0]
        if count <= limit:
            return count
        cursor.execute(
            f"SELECT COUNT(*), COUNT(DISTINCT order_id) FROM ({rows} LIMIT %s) counted", [*params, 4 * limit + 1]
        )
        count, distinct = cursor.fetchone()
        return distinct if count <= 4 * limit else limit + 1


def order_ids(words: list[str], *, using: str) -> list[int]:
    sql, params = matching(words)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def read_keys(words: list[str], shop_ids, limit: int, *, using) -> list[tuple]:
    """[(shop, status, created as stored, id)] of at most `limit` matching orders of these shops, read
    from the word ranges alone. An order appears once even when two of its words start alike."""
    if not shop_ids:
        return []
    # the time as text, never converted by the driver (20,000 conversions cost more than the read): it is
    # only compared with its like, and UTC text in one format orders as the times do
    created = "+created_at" if connections[using].vendor == "sqlite" else "created_at::text"
    sql, params = matching(words, shop_ids, columns=f"shop_id, status, {created}, order_id")
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    distinct = dict(zip(map(itemgetter(3), rows), rows))  # the same order under two words: one row
    return list(distinct.values())[:limit]
