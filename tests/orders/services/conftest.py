import pytest

from accounts.roles import Role


@pytest.fixture
def agent(shop, member_of):
    """A Customer Service member of the shop: may cancel, refund, note and message."""
    return member_of(shop, Role.CUSTOMER_SERVICE)
