"""The audit trail: append-only in the model and in the database, the Administrators' page with its filters
and CSV, and one row for every kind of event the app can cause today."""

import csv
import io
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent, AuditKind, Membership
from accounts.roles import Role
from accounts.services import audit
from accounts.views.audit_log import CSV_COLUMNS
from tests.accounts.conftest import enrol, events, sign_in, totp_code, wrong_code
from tests.clients import SignedInClient
from tests.factories import MembershipFactory, OrderFactory, UserFactory
from tests.factories.accounts import TEST_PASSWORD

pytestmark = pytest.mark.django_db

URL = reverse("audit_log")
IP = "203.0.113.50"
FUTURE_KINDS = {AuditKind.EXPORT_DOWNLOADED, AuditKind.API_CREDENTIALS_CREATED, AuditKind.API_CREDENTIALS_REVOKED}


def event(summary, *, at=None, kind=AuditKind.SIGN_IN, **fields):
    """An event written straight to the table (inserting is always allowed), at a chosen time."""
    shop = fields.pop("shop", None)
    return AuditEvent.objects.create(
        at=at or datetime.now(UTC), kind=kind, summary=summary, shop=shop, shop_name=shop.name if shop else "", **fields
    )


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


@pytest.fixture
def admin(shop, member_of):
    return member_of(shop, Role.ADMINISTRATOR, username="boss")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


# Append-only ------------------------------------------------------------------------------------------


@pytest.fixture
def row(db):
    return audit.record(AuditKind.SIGN_IN, actor_name="someone", target="someone", summary="original")


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda e: (setattr(e, "summary", "rewritten"), e.save()), id="save"),
        pytest.param(lambda e: e.save(update_fields=["summary"]), id="save-update-fields"),
        pytest.param(lambda e: e.delete(), id="delete"),
        pytest.param(lambda e: AuditEvent.objects.filter(pk=e.pk).update(summary="rewritten"), id="queryset-update"),
        pytest.param(lambda e: AuditEvent.objects.filter(pk=e.pk).delete(), id="queryset-delete"),
        pytest.param(lambda e: AuditEvent.objects.all().delete(), id="delete-all"),
        pytest.param(
            lambda e: (setattr(e, "summary", "rewritten"), AuditEvent.objects.bulk_update([e], ["summary"])),
            id="bulk-update",
        ),
    ],
)
def test_the_model_refuses_changes_and_deletes(row, change):
    with pytest.raises(TypeError, match="append-only"), transaction.atomic():
        change(row)
    row.refresh_from_db()
    assert row.summary == "original"
    assert AuditEvent.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("how", ["raw-sql", "base-manager"])
def test_the_database_refuses_an_update(row, how):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        if how == "raw-sql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {AuditEvent._meta.db_table} SET summary = %s WHERE id = %s", ["rewritten", row.pk]
                )
        else:  # a plain manager, as a data migration or a shell would use, skips the model's guard
            AuditEvent._base_manager.filter(pk=row.pk).update(summary="rewritten")
    row.refresh_from_db()
    assert row.summary == "original"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="only PostgreSQL refuses DELETE in the database (SQLite's test flush deletes rows)",
)
def test_the_database_refuses_a_raw_delete(row):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [row.pk])
    assert AuditEvent.objects.filter(pk=row.pk).exists()


# The page ---------------------------------------------------------------------------------------------


def test_an_administrator_sees_their_shops_events_only(admin_client, admin, shop, other_shop, member_of):
    colleague = member_of(shop, Role.VIEWER)
    stranger = member_of(other_shop, Role.VIEWER)
    event("mine-shop-event", shop=shop)
    event("colleague-signed-in", actor=colleague, actor_name=colleague.username)  # shop-less, by a member
    event("other-shop-event", shop=other_shop)
    event("stranger-signed-in", actor=stranger, actor_name=stranger.username)
    event("unknown-username-failed", kind=AuditKind.SIGN_IN_FAILED, actor_name="ghost")
    page = admin_client.get(URL)
    assert page.status_code == 200
    assert "mine-shop-event" in page.text and "colleague-signed-in" in page.text
    assert "other-shop-event" not in page.text
    assert "stranger-signed-in" not in page.text
    assert "unknown-username-failed" not in page.text


def test_newest_first(admin_client, shop):
    event("older-one", shop=shop, at=datetime(2025, 1, 1, tzinfo=UTC))
    event("newer-one", shop=shop, at=datetime(2025, 6, 1, tzinfo=UTC))
    text = admin_client.get(URL).text
    assert text.index("newer-one") < text.index("older-one")


@pytest.fixture
def filter_events(shop):
    """Events A-F with different kinds, people, addresses and times (UTC)."""
    event(
        "evt-A",
        shop=shop,
        kind=AuditKind.SIGN_IN,
        actor_name="alice",
        ip_address="203.0.113.5",
        at=datetime(2025, 2, 28, 23, 59, 59, tzinfo=UTC),
    )
    event(
        "evt-B",
        shop=shop,
        kind=AuditKind.SIGN_IN_FAILED,
        actor_name="Alison",
        ip_address="203.0.113.6",
        at=datetime(2025, 3, 1, 0, 0, 0, tzinfo=UTC),
    )
    event(
        "evt-C",
        shop=shop,
        kind=AuditKind.PII_REVEALED,
        actor_name="bob",
        ip_address="2001:db8::1",
        target="order 77",
        at=datetime(2025, 3, 2, 12, 0, tzinfo=UTC),
    )
    event(
        "evt-D",
        shop=shop,
        kind=AuditKind.SIGN_IN,
        actor_name="bob",
        ip_address="203.0.113.5",
        at=datetime(2025, 3, 2, 23, 59, 59, 999000, tzinfo=UTC),
    )
    event(
        "evt-E",
        shop=shop,
        kind=AuditKind.STATUS_CHANGED,
        actor_name="carol",
        target="order 78",
        at=datetime(2025, 3, 3, 0, 0, 0, tzinfo=UTC),
    )
    event("evt-F", shop=shop, kind=AuditKind.ROLE_CHANGED, actor_name="carol", at=datetime(2025, 3, 4, tzinfo=UTC))


ALL = {"A", "B", "C", "D", "E", "F"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ALL),
        ({"kind": "sign_in"}, {"A", "D"}),
        ({"kind": "pii_revealed"}, {"C"}),
        ({"who": "ALI"}, {"A", "B"}),
        ({"who": "bob", "kind": "sign_in"}, {"D"}),
        ({"target": "order 7"}, {"C", "E"}),
        ({"ip": "203.0.113.5"}, {"A", "D"}),
        ({"ip": "2001:db8::1"}, {"C"}),
        ({"date_from": "2025-03-01", "date_to": "2025-03-02"}, {"B", "C", "D"}),  # the end day is included whole
        ({"date_from": "2025-03-02", "date_to": "2025-03-02"}, {"C", "D"}),
        ({"date_from": "2025-03-03"}, {"E", "F"}),
        ({"date_to": "2025-02-28"}, {"A"}),
        ({"kind": "sign_in", "date_from": "2025-03-01"}, {"D"}),
    ],
    ids=lambda v: str(v) if isinstance(v, dict) else "",
)
def test_filters(admin_client, filter_events, query, expected):
    response = admin_client.get(URL, query)
    assert response.status_code == 200
    shown = {letter for letter in ALL if f"evt-{letter}" in response.text}
    assert shown == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"ip": "999.1.1.1"}, "Enter a valid IPv4 or IPv6 address"),
        ({"ip": "203.0.113"}, "Enter a valid IPv4 or IPv6 address"),
        ({"date_from": "2025-03-02", "date_to": "2025-03-01"}, "The end date is before the start date."),
        ({"date_from": "2024-01-01", "date_to": "2025-03-01"}, "Choose at most 366 days."),
        ({"date_from": "2025-02-30"}, "Enter a valid date"),
        ({"kind": "made_up"}, "Select a valid choice"),
        ({"page": "0"}, "Pages run from 1 to 400"),
        ({"page": "401"}, "Pages run from 1 to 400"),
        ({"page": "two"}, "Pages run from 1 to 400"),
    ],
)
def test_bad_filters_are_400_with_a_message(admin_client, filter_events, query, message):
    response = admin_client.get(URL, query)
    assert response.status_code == 400
    assert message in response.text
    assert "evt-A" not in response.text


def test_another_shop_cannot_be_chosen_in_the_shop_filter(admin_client, shop, other_shop):
    event("theirs", shop=other_shop)
    response = admin_client.get(URL, {"shop": other_shop.pk})
    assert response.status_code == 400
    assert "theirs" not in response.text
    assert admin_client.get(URL, {"shop": shop.pk}).status_code == 200


def test_pages_of_fifty(admin_client, shop):
    for n in range(51):
        event(f"evt-{n:03d}-", shop=shop, kind=AuditKind.ROLE_CHANGED, at=datetime(2025, 1, 1, 0, n, tzinfo=UTC))
    first = admin_client.get(URL, {"kind": "role_changed"}).text
    assert "evt-050-" in first and "evt-001-" in first and "evt-000-" not in first
    assert "kind=role_changed&amp;page=2" in first
    second = admin_client.get(URL, {"kind": "role_changed", "page": 2}).text
    assert "evt-000-" in second and "evt-001-" not in second


def test_csv_has_a_header_and_the_filtered_rows(admin_client, admin, filter_events):
    query = {"kind": "sign_in", "date_to": "2025-12-31", "format": "csv"}  # not the admin's own sign-in today
    response = admin_client.get(URL, query, REMOTE_ADDR=IP)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == CSV_COLUMNS
    assert [r[6] for r in rows[1:]] == ["evt-D", "evt-A"]  # newest first, filter applied
    assert rows[1][0] == "2025-03-02T23:59:59.999000+00:00"
    assert rows[1][1:4] == ["Signed in", "bob", "203.0.113.5"]
    [export] = events(AuditKind.EXPORT_CREATED)
    assert (export.actor, export.ip_address, export.target) == (admin, IP, "audit log")
    assert export.detail["filters"] == query


@pytest.mark.parametrize(
    "dangerous", ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
)
@pytest.mark.parametrize("column", ["actor_name", "target", "summary", "shop_name"])
def test_csv_neutralises_formulas(admin_client, shop, dangerous, column):
    fields = {"actor_name": "x", "target": "x", "summary": "x", column: dangerous}
    AuditEvent.objects.create(
        at=datetime.now(UTC), kind=AuditKind.ROLE_CHANGED, shop=shop, **{"shop_name": shop.name, **fields}
    )
    rows = csv_rows(admin_client.get(URL, {"format": "csv", "kind": "role_changed"}))
    index = {"actor_name": 2, "shop_name": 4, "target": 5, "summary": 6}[column]
    [cell] = [r[index] for r in rows[1:]]
    assert cell == "'" + dangerous


def test_csv_keeps_harmless_values_as_they_are(admin_client, shop):
    event(
        "Order 5: Awaiting shipment → Shipped",
        shop=shop,
        kind=AuditKind.STATUS_CHANGED,
        actor_name="o'brien",
        target="a=b",
    )
    rows = csv_rows(admin_client.get(URL, {"format": "csv", "kind": "status_changed"}))
    assert rows[1][2] == "o'brien" and rows[1][5] == "a=b" and rows[1][6] == "Order 5: Awaiting shipment → Shipped"


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_other_roles_are_refused_and_that_is_recorded(client, shop, member_of, role):
    user = member_of(shop, role)
    event("secret-event", shop=shop)
    client.force_login(user)
    response = client.get(URL, REMOTE_ADDR=IP)
    assert response.status_code == 403
    assert "secret-event" not in response.text
    [denied] = events(AuditKind.PERMISSION_DENIED)
    assert (denied.actor, denied.ip_address, denied.target) == (user, IP, URL)
    assert client.get(URL, {"format": "csv"}).status_code == 403
    assert not events(AuditKind.EXPORT_CREATED)


def test_signed_out_visitors_are_sent_to_sign_in():
    response = Client().get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# One row for every kind -------------------------------------------------------------------------------


@contextmanager
def request_by(user, ip=IP):
    """What a change made in Django admin runs in: the request being served (its user and address)."""
    request = RequestFactory().post("/admin/", REMOTE_ADDR=ip)
    request.user = user
    with audit.request_context(request):
        yield


def signed_in(user):
    c = SignedInClient()
    c.force_login(user)
    return c


def password_then_code(user, code=None):
    visitor = Client()
    sign_in(visitor, user.username, ip=IP)
    if code is not None:
        visitor.post(reverse("two_factor_verify"), {"code": code}, REMOTE_ADDR=IP)
    return visitor


# Each returns the actor and the shop the row must name (None: no shop, or nobody signed in).


def cause_sign_in(ctx):
    sign_in(Client(), ctx.viewer.username, ip=IP)
    return ctx.viewer, None


def cause_sign_in_failed(ctx):
    sign_in(Client(), ctx.viewer.username, "wrong-password-1", ip=IP)
    return ctx.viewer, None


def cause_locked_out(ctx):
    visitor = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(visitor, ctx.viewer.username, "wrong-password-1", ip=IP)
    return ctx.viewer, None


def cause_sign_in_ip_paused(ctx):
    for n in range(settings.SIGN_IN_IP_FAILURE_LIMIT):  # a different username each time: spraying
        sign_in(Client(), f"sprayed-{n}", "wrong-password-1", ip=IP)
    return None, None


def cause_sign_out(ctx):
    visitor = Client()
    sign_in(visitor, ctx.viewer.username, ip=IP)
    visitor.post(reverse("logout"), REMOTE_ADDR=IP)
    return ctx.viewer, None


def cause_password_changed(ctx):
    new = "a new and longer passphrase 7"
    signed_in(ctx.viewer).post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
        REMOTE_ADDR=IP,
    )
    return ctx.viewer, None


def cause_otp_verified(ctx):
    device = enrol(ctx.viewer)
    password_then_code(ctx.viewer, totp_code(device))
    return ctx.viewer, None


def cause_otp_failed(ctx):
    device = enrol(ctx.viewer)
    password_then_code(ctx.viewer, wrong_code(device))
    return ctx.viewer, None


def cause_otp_enrolled(ctx):
    visitor = password_then_code(ctx.viewer)
    visitor.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=ctx.viewer)
    visitor.post(reverse("two_factor_setup"), {"code": totp_code(device)}, REMOTE_ADDR=IP)
    return ctx.viewer, None


def cause_otp_removed(ctx):
    device = enrol(ctx.viewer)
    signed_in(ctx.viewer).post(reverse("two_factor_turn_off"), {"code": totp_code(device)}, REMOTE_ADDR=IP)
    return ctx.viewer, None


def cause_recovery_codes_issued(ctx):
    enrol(ctx.viewer)
    signed_in(ctx.viewer).post(reverse("renew_recovery_codes"), REMOTE_ADDR=IP)
    return ctx.viewer, None


def cause_session_expired(ctx):
    c = signed_in(ctx.viewer)
    session = c.session
    session["sc_seen_at"] -= 31 * 60
    session.save()
    c.get("/orders/", REMOTE_ADDR=IP)
    return ctx.viewer, None


def cause_session_refused(ctx):
    c = signed_in(ctx.viewer)
    ctx.viewer.is_active = False
    ctx.viewer.save()
    c.get("/orders/", REMOTE_ADDR=IP)
    return None, None  # the user is no longer signed in: the row names them in `target`


def cause_signed_out_everywhere(ctx):
    membership = Membership.objects.get(user=ctx.viewer, shop=ctx.shop)
    signed_in(ctx.admin).post(reverse("member_action", args=[ctx.shop.code, membership.pk, "sign_out"]), REMOTE_ADDR=IP)
    return ctx.admin, ctx.shop


def cause_membership_added(ctx):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    newcomer = UserFactory()
    signed_in(root).post(
        reverse("admin:accounts_membership_add"),
        {"user": newcomer.pk, "shop": ctx.shop.pk, "role": Role.ACCOUNTANT},
        REMOTE_ADDR=IP,
    )
    assert Membership.objects.filter(user=newcomer, shop=ctx.shop).exists()
    return root, ctx.shop


def cause_role_changed(ctx):
    membership = Membership.objects.get(user=ctx.viewer, shop=ctx.shop)
    with request_by(ctx.admin):
        membership.role = Role.FULFILLMENT
        membership.save()
    return ctx.admin, ctx.shop


def cause_membership_removed(ctx):
    membership = Membership.objects.get(user=ctx.viewer, shop=ctx.shop)
    signed_in(ctx.admin).post(reverse("member_action", args=[ctx.shop.code, membership.pk, "remove"]), REMOTE_ADDR=IP)
    return ctx.admin, ctx.shop


def cause_user_deactivated(ctx):
    with request_by(ctx.admin):
        ctx.viewer.is_active = False
        ctx.viewer.save()
    return ctx.admin, None


def cause_user_reactivated(ctx):
    ctx.viewer.is_active = False
    ctx.viewer.save()
    with request_by(ctx.admin):
        ctx.viewer.is_active = True
        ctx.viewer.save()
    return ctx.admin, None


def cause_permission_denied(ctx):
    signed_in(ctx.viewer).get(URL, REMOTE_ADDR=IP)
    return ctx.viewer, None


def cause_csrf_refused(ctx):
    strict = SignedInClient(enforce_csrf_checks=True)
    strict.force_login(ctx.admin)
    order = OrderFactory(shop=ctx.shop)
    response = strict.post(
        reverse("order_action", args=[order.pk, "arrange_shipment"]),
        {"carrier": "USPS", "tracking_number": "9400100000000000000001", "expected_status": "AWAITING_SHIPMENT"},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 403
    return ctx.admin, None


def cause_pii_revealed(ctx):
    service = MembershipFactory(shop=ctx.shop, role=Role.CUSTOMER_SERVICE).user
    order = OrderFactory(shop=ctx.shop)
    signed_in(service).post(reverse("order_reveal_buyer", args=[order.pk]), REMOTE_ADDR=IP)
    return service, ctx.shop


def cause_status_changed(ctx):
    packer = MembershipFactory(shop=ctx.shop, role=Role.FULFILLMENT).user
    order = OrderFactory(shop=ctx.shop)
    signed_in(packer).post(
        reverse("order_action", args=[order.pk, "arrange_shipment"]),
        {"carrier": "USPS", "tracking_number": "9400100000000000000001", "expected_status": "AWAITING_SHIPMENT"},
        REMOTE_ADDR=IP,
    )
    return packer, ctx.shop


def cause_export_created(ctx):
    signed_in(ctx.admin).get(reverse("access_review", args=[ctx.shop.code]), {"format": "csv"}, REMOTE_ADDR=IP)
    return ctx.admin, ctx.shop


CAUSES = {
    AuditKind.SIGN_IN: cause_sign_in,
    AuditKind.SIGN_IN_FAILED: cause_sign_in_failed,
    AuditKind.LOCKED_OUT: cause_locked_out,
    AuditKind.SIGN_IN_IP_PAUSED: cause_sign_in_ip_paused,
    AuditKind.SIGN_OUT: cause_sign_out,
    AuditKind.PASSWORD_CHANGED: cause_password_changed,
    AuditKind.OTP_VERIFIED: cause_otp_verified,
    AuditKind.OTP_FAILED: cause_otp_failed,
    AuditKind.OTP_ENROLLED: cause_otp_enrolled,
    AuditKind.OTP_REMOVED: cause_otp_removed,
    AuditKind.RECOVERY_CODES_ISSUED: cause_recovery_codes_issued,
    AuditKind.SESSION_EXPIRED: cause_session_expired,
    AuditKind.SESSION_REFUSED: cause_session_refused,
    AuditKind.SIGNED_OUT_EVERYWHERE: cause_signed_out_everywhere,
    AuditKind.MEMBERSHIP_ADDED: cause_membership_added,
    AuditKind.ROLE_CHANGED: cause_role_changed,
    AuditKind.MEMBERSHIP_REMOVED: cause_membership_removed,
    AuditKind.USER_DEACTIVATED: cause_user_deactivated,
    AuditKind.USER_REACTIVATED: cause_user_reactivated,
    AuditKind.PERMISSION_DENIED: cause_permission_denied,
    AuditKind.CSRF_REFUSED: cause_csrf_refused,
    AuditKind.PII_REVEALED: cause_pii_revealed,
    AuditKind.STATUS_CHANGED: cause_status_changed,
    AuditKind.EXPORT_CREATED: cause_export_created,
}


def test_every_kind_of_today_is_caused_below():
    assert set(CAUSES) == set(AuditKind) - FUTURE_KINDS


class Ctx:
    def __init__(self, shop, admin, viewer):
        self.shop, self.admin, self.viewer = shop, admin, viewer


@pytest.mark.parametrize("kind", list(CAUSES), ids=lambda k: k.value)
def test_each_kind_is_recorded_with_who_where_and_which_shop(shop, admin, member_of, kind):
    ctx = Ctx(shop, admin, member_of(shop, Role.VIEWER, username="vera"))
    before = set(AuditEvent.objects.filter(kind=kind).values_list("pk", flat=True))
    actor, expected_shop = CAUSES[kind](ctx)
    new = [e for e in events(kind) if e.pk not in before]
    assert new, f"no {kind.value} row"
    row = new[-1]
    assert row.actor == actor
    assert row.actor_name == (actor.username if actor else row.actor_name)
    assert row.ip_address == IP
    assert row.shop == expected_shop
    assert row.shop_name == (expected_shop.name if expected_shop else "")
    assert row.summary and row.at
    if kind == AuditKind.SESSION_REFUSED:
        assert row.target == f"user #{ctx.viewer.pk}"
