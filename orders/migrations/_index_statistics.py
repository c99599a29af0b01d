"""Planner statistics for the indexes a migration adds, on SQLite.

Where a table's indexes have statistics (seed_demo runs ANALYZE), a new index without them looks far
more selective to SQLite's planner than it is, and plans go wrong; where the table has none, statistics
for the new index alone would mislead it the other way. So a new index is analysed only where the
table's other indexes already are. PostgreSQL's autovacuum keeps its own; an index needs none there."""


def analysing(table: str, names: list[str]):
    """A RunPython step that ANALYZEs the new indexes `names` of `table` where its others have statistics."""

    def analyse(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
            if not cursor.fetchone():
                return
            placeholders = ", ".join(["%s"] * len(names))
            cursor.execute(
                f"SELECT 1 FROM sqlite_stat1 WHERE tbl = %s AND idx NOT IN ({placeholders})", [table, *names]
            )
            if cursor.fetchone():
                for name in names:
                    cursor.execute(f'ANALYZE "{name}"')

    return analyse
