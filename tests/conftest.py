import pytest
from django.core.cache import cache

from accounts.roles import Role
from tests.clients import SignedInClient
from tests.factories import MembershipFactory, ShopFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; PBKDF2 would dominate their run time. Sign-in still checks the hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Files written by tests (exports) land in a temporary folder, never in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Each test starts with an empty cache in local memory: fast, and no count (rate limit, sign-in
    throttle) carries over between tests. The shared backends are tested across processes in
    tests/sellercenter/test_cache.py and tests/partner_api/test_ratelimit.py."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    cache.clear()


@pytest.fixture
def shop(db):
    return ShopFactory()


@pytest.fixture
def other_shop(db):
    return ShopFactory(name="Someone Else's Shop")


@pytest.fixture
def member_of(db):
    """member_of(shop, role) -> a user holding `role` in `shop`."""

    def make(shop, role=Role.VIEWER, **user_fields):
        return MembershipFactory(shop=shop, role=role, user=UserFactory(**user_fields)).user

    return make


@pytest.fixture
def client():
    return SignedInClient()
