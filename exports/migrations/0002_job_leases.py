"""Export jobs hold a lease while a worker runs them (leases.models.Leased): who holds it, until when, and
how many times a worker took the job. Adding columns with a constant default rewrites no table."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0001_export_jobs"),
    ]

    operations = [
        migrations.AddField(
            model_name="exportjob",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, help_text="Times a worker has taken the job."),
        ),
        migrations.AddField(
            model_name="exportjob",
            name="lease_expires_at",
            field=models.DateTimeField(
                blank=True, help_text="The holder's heartbeat must come before this moment.", null=True
            ),
        ),
        migrations.AddField(
            model_name="exportjob",
            name="lease_token",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Who holds the job (one value per attempt); empty: nobody.",
                max_length=32,
            ),
        ),
        migrations.AddIndex(
            model_name="exportjob",
            index=models.Index(fields=["lease_expires_at"], name="export_lease_expiry"),
        ),
    ]
