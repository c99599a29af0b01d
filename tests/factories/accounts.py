import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import AuditEvent, AuditKind, Membership, Shop
from accounts.roles import Role

TEST_PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shop

    name = factory.Sequence(lambda n: f"Test Shop {n}")
    code = factory.Sequence(lambda n: f"GCP_TEST_{n:04d}")
    country = "US"
    currency = "USD"
    time_zone = "America/Los_Angeles"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    shop = factory.SubFactory(ShopFactory)
    role = Role.VIEWER


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    at = factory.LazyFunction(timezone.now)
    kind = AuditKind.SIGN_IN
    actor_name = "someone"
    summary = "Signed in"
