"""The database itself refuses to change an audit event, whatever client writes to it.

UPDATE is refused on both databases; DELETE too on PostgreSQL. SQLite keeps DELETE because its
test-database flush deletes rows one table at a time (PostgreSQL's flush uses TRUNCATE, which row
triggers do not see); the model and Django admin refuse deletes on both.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER accounts_auditevent_no_update BEFORE UPDATE ON accounts_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS accounts_auditevent_no_update"]

POSTGRES = [
    """CREATE OR REPLACE FUNCTION accounts_audit_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER accounts_auditevent_append_only BEFORE UPDATE OR DELETE ON accounts_auditevent
       FOR EACH ROW EXECUTE FUNCTION accounts_audit_append_only()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS accounts_auditevent_append_only ON accounts_auditevent",
    "DROP FUNCTION IF EXISTS accounts_audit_append_only()",
]


def run(statements):
    def apply(apps, schema_editor):
        chosen = statements.get(schema_editor.connection.vendor, [])
        for sql in chosen:
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_security_and_audit")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
