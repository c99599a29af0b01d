"""Deny by default, proven for every URL of the project and every role.

The URL resolver is walked; each named pattern must appear in ROUTES with the expected answer for
each role, on an object of the user's own shop and on one of another shop. A new URL that nobody
put in the table fails `test_every_url_is_in_the_table`; a view that does not state its permission
fails `test_every_view_states_what_it_needs`. Django admin's patterns are checked by a rule:
no shop role reaches any of them.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.decorators import PUBLIC, SIGNED_IN
from accounts.models import Membership
from accounts.roles import Perm, Role
from tests.factories import (
    ExportJobFactory,
    GrantFactory,
    MembershipFactory,
    OrderFactory,
    ShopFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ADMIN, CS, FULFIL, ACCOUNT, VIEW = (
    Role.ADMINISTRATOR,
    Role.CUSTOMER_SERVICE,
    Role.FULFILLMENT,
    Role.ACCOUNTANT,
    Role.VIEWER,
)
ROLES = (ADMIN, CS, FULFIL, ACCOUNT, VIEW)
ANONYMOUS = "anonymous"


def every(status):
    return dict.fromkeys(ROLES, status)


def only(allowed: set, yes, no):
    return {role: (yes if role in allowed else no) for role in ROLES}


@dataclass
class Route:
    method: str
    kwargs: object  # callable(world, side) -> URL kwargs
    own: dict  # role -> status on the own shop's object
    other: dict | None = None  # role -> status on another shop's object (None: the URL names no object)
    anonymous: int = 302  # a visitor who is not signed in: sent to sign in
    data: dict = field(default_factory=dict)


NO_KWARGS = lambda world, side: {}  # noqa: E731
ORDER = lambda world, side: {"order_id": world[side]["order"].pk}  # noqa: E731
SHOP = lambda world, side: {"code": world[side]["shop"].code}  # noqa: E731
JOB = lambda world, side: {"job_id": world[side]["job"].pk}  # noqa: E731

ROUTES = {
    # sign-in pages
    "login": Route("GET", NO_KWARGS, every(302), anonymous=200),  # signed in already: on to the home page
    "logout": Route("POST", NO_KWARGS, every(302)),
    "two_factor_verify": Route("GET", NO_KWARGS, every(302)),  # verified (or no 2FA): nothing to verify
    # the user's own account
    "security": Route("GET", NO_KWARGS, every(200)),
    "password_change": Route("GET", NO_KWARGS, every(200)),
    "two_factor_setup": Route("GET", NO_KWARGS, only({ADMIN}, 302, 200)),  # Administrators have it already
    "two_factor_turn_off": Route("POST", NO_KWARGS, every(302)),
    "recovery_codes": Route("GET", NO_KWARGS, every(200)),
    "renew_recovery_codes": Route("POST", NO_KWARGS, every(302)),
    "sign_out_other_sessions": Route("POST", NO_KWARGS, every(302)),
    # orders
    "home": Route("GET", NO_KWARGS, every(200)),
    "order_list": Route("GET", NO_KWARGS, every(200)),
    "order_detail": Route("GET", ORDER, every(200), every(404)),
    "order_reveal_buyer": Route("POST", ORDER, only({ADMIN, CS, FULFIL}, 302, 403), every(404)),
    "order_action": Route(
        "POST",
        lambda world, side: {**ORDER(world, side), "action": "add_note"},
        only({ADMIN, CS}, 302, 403),
        every(404),
        data={"text": "Hello", "color": "GREY"},
    ),
    "bulk_ship": Route("POST", NO_KWARGS, only({ADMIN, FULFIL}, 302, 403), data={"carrier": "UPS"}),
    # exports (a small export downloads at once)
    "exports": Route("GET", NO_KWARGS, only({ADMIN, ACCOUNT}, 200, 403)),
    "export_from_list": Route(
        "POST",
        NO_KWARGS,
        only({ADMIN, ACCOUNT}, 200, 403),
        data={"query": "", "format": "csv", "layout": "lines", "export": "all"},
    ),
    # another member's export: an Administrator of its shop may download or cancel it, nobody else
    "export_download": Route(
        "GET",
        JOB,
        {ADMIN: 200, CS: 403, FULFIL: 403, ACCOUNT: 404, VIEW: 403},
        {ADMIN: 404, CS: 403, FULFIL: 403, ACCOUNT: 404, VIEW: 403},
    ),
    "export_cancel": Route(
        "POST",
        JOB,
        {ADMIN: 302, CS: 403, FULFIL: 403, ACCOUNT: 404, VIEW: 403},
        {ADMIN: 404, CS: 403, FULFIL: 403, ACCOUNT: 404, VIEW: 403},
    ),
    # analytics (the dashboard and the CSV of one of its tables)
    "analytics": Route("GET", NO_KWARGS, only({ADMIN, ACCOUNT}, 200, 403)),
    "analytics_csv": Route("GET", lambda world, side: {"name": "kpis"}, only({ADMIN, ACCOUNT}, 200, 403)),
    # security administration
    "audit_log": Route("GET", NO_KWARGS, only({ADMIN}, 200, 403)),
    "access_review_index": Route("GET", NO_KWARGS, only({ADMIN}, 302, 403)),  # one shop: straight to it
    "access_review": Route("GET", SHOP, only({ADMIN}, 200, 403), only({ADMIN}, 404, 403)),
    "member_action": Route(
        "POST",
        lambda world, side: {**SHOP(world, side), "action": "sign_out", "membership_id": world[side]["membership"].pk},
        only({ADMIN}, 302, 403),
        only({ADMIN}, 404, 403),
    ),
    # API apps (Administrators): an invalid form is shown again with its errors (200)
    "api_apps": Route("GET", NO_KWARGS, only({ADMIN}, 200, 403)),
    "api_app_create": Route("POST", NO_KWARGS, only({ADMIN}, 200, 403), data={"name": "Matrix app"}),
    "api_app_authorise": Route("POST", NO_KWARGS, only({ADMIN}, 200, 403)),
    "api_grant_revoke": Route(
        "POST",
        lambda world, side: {"grant_id": GrantFactory(shops=[world[side]["shop"]]).pk},
        only({ADMIN}, 302, 403),
        only({ADMIN}, 404, 403),
    ),
    # the Partner API authenticates by signature, not session: an unsigned call gets the error envelope
    "api_openapi": Route("GET", NO_KWARGS, every(200), anonymous=200),
    "api_token_get": Route("GET", NO_KWARGS, every(401), anonymous=401),
    "api_token_refresh": Route("GET", NO_KWARGS, every(401), anonymous=401),
    "api_authorized_shops": Route("GET", NO_KWARGS, every(401), anonymous=401),
    "api_order_search": Route("POST", NO_KWARGS, every(401), anonymous=401),
    "api_order_detail": Route("GET", NO_KWARGS, every(401), anonymous=401),
    "api_order_detail_202507": Route("GET", NO_KWARGS, every(401), anonymous=401),
    "api_unknown_path": Route(
        "GET", lambda world, side: {"prefix": "order", "rest": "202309/nothing"}, every(404), anonymous=404
    ),
}


def walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else (namespace or None), entry


PATTERNS = list(walk(get_resolver().url_patterns))
ADMIN_PATTERNS = [(name, p) for name, p in PATTERNS if name and name.startswith("admin:")]
OWN_PATTERNS = [(name, p) for name, p in PATTERNS if not (name or "").startswith("admin:")]


def test_every_url_is_in_the_table():
    names = [name for name, _ in OWN_PATTERNS]
    assert None not in names, "every URL pattern needs a name to be in the permission matrix"
    assert sorted(set(names)) == sorted(ROUTES), "add the new URL to ROUTES with the answer each role should get"


@pytest.mark.parametrize(("name", "pattern"), OWN_PATTERNS, ids=[name for name, _ in OWN_PATTERNS])
def test_every_view_states_what_it_needs(name, pattern):
    needs = getattr(pattern.callback, "required_permission", None)
    assert needs is not None, f"{name}: decorate the view with @requires(Perm...), @signed_in or @public"
    assert needs in {PUBLIC, SIGNED_IN} or isinstance(needs, Perm), f"{name}: {needs!r}"


@pytest.fixture
def world():
    """Two shops, each with an order, a Viewer's membership (the target of member actions) and an
    Accountant's finished export."""
    sides = {}
    for side in ("own", "other"):
        shop = ShopFactory()
        accountant = MembershipFactory(shop=shop, role=ACCOUNT, user=UserFactory()).user
        sides[side] = {
            "shop": shop,
            "order": OrderFactory(shop=shop),
            "membership": MembershipFactory(shop=shop, role=VIEW, user=UserFactory()),
            "job": ExportJobFactory(owner=accountant, shop_ids=[shop.pk]),
        }
    return sides


CASES = [
    (name, role, side)
    for name, route in ROUTES.items()
    for role in (*ROLES, ANONYMOUS)
    for side in ("own", "other")
    if side == "own" or (route.other is not None and role != ANONYMOUS)
]


@pytest.mark.parametrize(("name", "role", "side"), CASES, ids=[f"{n}-{r}-{s}" for n, r, s in CASES])
def test_each_role_gets_the_expected_answer(client, world, name, role, side):
    route = ROUTES[name]
    if role != ANONYMOUS:
        user = UserFactory()
        Membership.objects.create(user=user, shop=world["own"]["shop"], role=role)
        client.force_login(user)
    url = reverse(name, kwargs=route.kwargs(world, side))
    response = client.get(url) if route.method == "GET" else client.post(url, route.data)
    expected = route.anonymous if role == ANONYMOUS else (route.own if side == "own" else route.other)[role]
    assert response.status_code == expected, f"{route.method} {url} as {role}"
    if role == ANONYMOUS and expected == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
@pytest.mark.parametrize("name", [n for n, r in ROUTES.items() if r.method == "POST"])
def test_actions_refuse_other_methods(client, world, name, method):
    client.force_login(world["own"]["membership"].user)
    url = reverse(name, kwargs=ROUTES[name].kwargs(world, "own"))
    assert client.generic(method, url).status_code == 405


def admin_url(name, pattern):
    """A concrete URL for an admin pattern: a real app label where one is asked for, "1" for ids."""
    if name == "admin:":  # the unnamed catch-all
        return reverse("admin:index") + "no-such-page/"
    groups = pattern.pattern.regex.groupindex
    kwargs = {group: ("accounts" if group == "app_label" else "1") for group in groups}
    if "content_type_id" in kwargs:
        kwargs["object_id"] = "1"
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("role", ROLES)
def test_no_shop_role_reaches_any_admin_page(client, world, role):
    user = UserFactory()
    Membership.objects.create(user=user, shop=world["own"]["shop"], role=role)
    client.force_login(user)
    login = reverse("admin:login")
    for name, pattern in ADMIN_PATTERNS:
        url = admin_url(name, pattern)
        response = client.get(url)
        if name == "admin:login":
            assert response.status_code == 403, url
        elif name in {"admin:logout", "admin:view_on_site"}:
            assert response.status_code in {302, 404, 405}, url  # no page of its own to refuse
        else:
            assert response.status_code == 302 and response["Location"].startswith(login), url


def test_staff_with_verified_two_factor_reaches_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:index")).status_code == 200
