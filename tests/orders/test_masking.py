import pytest

from accounts.roles import Role
from orders.masking import PiiAccess, mask_email, mask_name, mask_phone
from orders.statuses import OrderStatus
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "masked"),
    [("John Doe", "J*** D***"), ("Nguyễn Văn An", "N*** V*** A***"), ("Madonna", "M***"), ("", "***")],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("+1 213 555 0188", "(+1)213*****88"),
        ("+62 (0177) 763 1706", "(+62)017******06"),
        ("020 7946 0958", "020******58"),
        ("12", "***"),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("email", "masked"),
    [("john.doe@example.com", "j***e@e***.com"), ("a@b.co", "a***@b***.co"), ("nonsense", "***")],
)
def test_mask_email(email, masked):
    assert mask_email(email) == masked


# role -> (sees buyer PII, sees recipient address)
ROLE_VIEWS = {
    Role.ADMINISTRATOR: (True, True),
    Role.CUSTOMER_SERVICE: (True, True),
    Role.FULFILLMENT: (False, True),
    Role.ACCOUNTANT: (False, False),
    Role.VIEWER: (False, False),
}


@pytest.mark.parametrize(("role", "expected"), ROLE_VIEWS.items(), ids=[r.value for r in ROLE_VIEWS])
def test_what_each_role_sees(role, expected, shop, member_of):
    order = OrderFactory(
        shop=shop,
        buyer_name="John Doe",
        buyer_email="john.doe@example.com",
        buyer_phone="+1 213 555 0188",
        ship_line1="200 N Spring St",
    )
    user = member_of(shop, role)
    before = PiiAccess.for_user(user).buyer(order)
    assert before.name == "J*** D***" and before.masked and "200 N Spring St" not in before.shipping.lines
    assert before.shipping.city == "Los Angeles"  # the city stays visible even when masked
    sees_pii, sees_address = expected
    assert before.may_reveal is (sees_pii or sees_address)
    buyer = PiiAccess.for_user(user, revealed={order.pk}).buyer(order)  # after "Show buyer details"
    assert (buyer.name == "John Doe") is sees_pii
    assert (buyer.email == "john.doe@example.com") is sees_pii
    assert buyer.masked is not sees_pii
    assert ("200 N Spring St" in buyer.shipping.lines) is sees_address
    assert not buyer.may_reveal


@pytest.mark.parametrize("status", [OrderStatus.UNPAID, OrderStatus.ON_HOLD])
def test_address_hidden_for_everyone_while_unpaid_or_on_hold(status, shop, member_of):
    order = OrderFactory(shop=shop, status=status, ship_line1="200 N Spring St")
    buyer = PiiAccess.for_user(member_of(shop, Role.ADMINISTRATOR), revealed={order.pk}).buyer(order)
    assert "200 N Spring St" not in buyer.shipping.lines
    assert buyer.shipping.hidden_reason
