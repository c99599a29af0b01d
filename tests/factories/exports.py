import secrets
from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from exports.models import ExportJob, ExportStatus

from .accounts import UserFactory


class ExportJobFactory(factory.django.DjangoModelFactory):
    """A finished CSV export with its file (written under the test MEDIA_ROOT). `running=True`: one a
    worker is writing, holding its lease (for `lease_seconds` more from now, negative: expired)."""

    class Meta:
        model = ExportJob

    class Params:
        lease_seconds = 60
        running = factory.Trait(
            status=ExportStatus.RUNNING,
            rows_total=10,
            rows_written=4,
            finished_at=None,
            expires_at=None,
            file_size=None,
            attempts=1,
            lease_token=factory.LazyFunction(lambda: secrets.token_hex(16)),
            lease_expires_at=factory.LazyAttribute(lambda job: timezone.now() + timedelta(seconds=job.lease_seconds)),
        )

    owner = factory.SubFactory(UserFactory)
    params = factory.LazyFunction(lambda: {"filters": {"preset": ["last_30d"]}, "shops": []})
    shop_ids = factory.LazyFunction(list)
    description = "CSV (plain UTF-8), one row per order line"
    format = "csv"
    layout = "lines"
    status = ExportStatus.DONE
    rows_total = 1
    rows_written = 1
    file_size = 18
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    file = factory.LazyAttribute(
        lambda job: (
            ContentFile(b"Order ID\r\n123\r\n", name="test-export.csv") if job.status == ExportStatus.DONE else ""
        )
    )
