"""The table of Django's database cache (settings.CACHES when REDIS_URL is not set), made by `migrate`
so that no deployment, test run or `make demo` needs `createcachetable`. Django's own SQL for it
(createcachetable's), on every database; the table name is frozen here."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "sellercenter_cache"


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)  # skips an existing table


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_password_changed_event")]

    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]
