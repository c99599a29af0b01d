import pytest

from accounts.roles import Role
from tests.factories import ApiAppFactory, GrantFactory, OrderFactory

from .client import PartnerClient

ACCESS_TOKEN = "SCAT_fixture_token"


@pytest.fixture
def administrator(shop, member_of):
    return member_of(shop, Role.ADMINISTRATOR)


@pytest.fixture
def app(administrator):
    return ApiAppFactory(created_by=administrator)


@pytest.fixture
def grant(app, administrator, shop):
    return GrantFactory(app=app, authorised_by=administrator, shops=[shop], access_token=ACCESS_TOKEN)


@pytest.fixture
def api(client, app, grant, shop):
    return PartnerClient(client, app.app_key, app.app_secret, ACCESS_TOKEN, shop.code)


@pytest.fixture
def orders(shop):
    return OrderFactory.create_batch(3, shop=shop)
