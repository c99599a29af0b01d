import pytest
from django.urls import reverse

from accounts.models import AuditEvent, AuditKind
from accounts.roles import Role
from tests.factories.accounts import TEST_PASSWORD

pytestmark = pytest.mark.django_db
URL = reverse("password_change")


@pytest.mark.parametrize(
    ("new", "error"),
    [
        ("short-1A", "too short"),
        ("123456789012345", "entirely numeric"),
        ("password12345", "too common"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(client, shop, member_of, new, error):
    client.force_login(member_of(shop, Role.VIEWER))
    response = client.post(URL, {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 200 and error in response.text
    assert not AuditEvent.objects.filter(kind=AuditKind.PASSWORD_CHANGED).exists()


def test_a_strong_password_is_set_the_session_kept_and_the_change_recorded(client, shop, member_of):
    user = member_of(shop, Role.VIEWER)
    client.force_login(user)
    new = "correct horse battery staple 9"
    response = client.post(URL, {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302 and response.url == reverse("security")
    user.refresh_from_db()
    assert user.check_password(new)
    assert client.get(reverse("order_list")).status_code == 200  # still signed in
    assert AuditEvent.objects.get(kind=AuditKind.PASSWORD_CHANGED).actor == user


def test_the_old_password_is_required(client, shop, member_of):
    client.force_login(member_of(shop, Role.VIEWER))
    new = "correct horse battery staple 9"
    response = client.post(URL, {"old_password": "wrong", "new_password1": new, "new_password2": new})
    assert response.status_code == 200 and "old password was entered incorrectly" in response.text
