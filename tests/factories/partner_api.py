from datetime import timedelta

import factory
from django.utils import timezone

from partner_api.models import ApiApp, Grant, WebhookDelivery, sha256

from .accounts import UserFactory


class ApiAppFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiApp

    name = factory.Sequence(lambda n: f"Integration {n}")
    created_by = factory.SubFactory(UserFactory)


class GrantFactory(factory.django.DjangoModelFactory):
    """A live grant; pass access_token= / refresh_token= to know the plain tokens (only hashes are kept)."""

    class Meta:
        model = Grant
        skip_postgeneration_save = True

    class Params:
        access_token = factory.Sequence(lambda n: f"SCAT_test_access_{n}")
        refresh_token = factory.Sequence(lambda n: f"SCRT_test_refresh_{n}")

    app = factory.SubFactory(ApiAppFactory)
    authorised_by = factory.SubFactory(UserFactory)
    access_token_hash = factory.LazyAttribute(lambda o: sha256(o.access_token))
    refresh_token_hash = factory.LazyAttribute(lambda o: sha256(o.refresh_token))
    access_expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    refresh_expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=365))

    @factory.post_generation
    def shops(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.shops.set(extracted)


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    app = factory.SubFactory(ApiAppFactory, webhook_url="http://127.0.0.1:9/hook")
    event_type = "ORDER_STATUS_CHANGE"
    payload = factory.LazyFunction(lambda: {"type": 1, "data": {"order_id": "1", "order_status": "IN_TRANSIT"}})
