"""Access review per shop: every member with role, last sign-in, two-factor and last activity;
remove a member, sign them out everywhere, reset their two-factor. Downloadable as CSV."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import requires
from accounts.models import AuditKind, Membership
from accounts.roles import Perm, Role
from accounts.selectors import managed_shop, members_for_review
from accounts.services import audit
from accounts.services.permissions import shops_with_permission
from accounts.services.sessions import sign_out_everywhere
from accounts.services.two_factor import needs_two_factor, remove_two_factor
from accounts.spreadsheet import safe_cell

CSV_COLUMNS = [
    "username",
    "name",
    "e-mail",
    "role",
    "member since",
    "last sign-in",
    "last activity",
    "two-factor",
    "active",
]


@require_GET
@requires(Perm.MANAGE_STAFF)
def access_review_index(request):
    shops = shops_with_permission(request.user, Perm.MANAGE_STAFF).order_by("name")
    if len(shops) == 1:
        return redirect("access_review", code=shops[0].code)
    return render(request, "accounts/access_review_index.html", {"shops": shops})


@require_GET
@requires(Perm.MANAGE_STAFF)
def access_review(request, code):
    shop = managed_shop(request.user, code)
    members = list(members_for_review(shop))
    if request.GET.get("format") == "csv":
        return _csv(request, shop, members)
    return render(request, "accounts/access_review.html", {"shop": shop, "members": members, "now": timezone.now()})


def _when(value, shop):
    return value.astimezone(shop.tzinfo).isoformat(timespec="seconds") if value else ""


def _csv(request, shop, members):
    audit.record(
        AuditKind.EXPORT_CREATED,
        request=request,
        shop=shop,
        target="access review",
        summary=f"Access review of {shop.name} downloaded as CSV",
        rows=len(members),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-review-{shop.code}-{timezone.now():%Y%m%d}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [*CSV_COLUMNS[:5], f"last sign-in ({shop.time_zone})", f"last activity ({shop.time_zone})", *CSV_COLUMNS[7:]]
    )
    for m in members:
        profile = getattr(m.user, "security", None)  # None when the member never had a session here
        writer.writerow(
            [
                safe_cell(m.user.username),
                safe_cell(m.user.get_full_name()),
                safe_cell(m.user.email),
                Role(m.role).label,
                _when(m.created_at, shop),
                _when(m.user.last_login, shop),
                _when(profile.last_seen_at if profile else None, shop),
                "on" if m.two_factor else "off",
                "yes" if m.user.is_active else "no",
            ]
        )
    return response


def administers_whole(user, member) -> bool:
    """Sign-out-everywhere and two-factor resets act on the whole person: only for an Administrator of
    every shop the member belongs to, and never on staff (Django admin users)."""
    if user.is_superuser:
        return True
    if member.is_staff or member.is_superuser:
        return False
    managed = set(shops_with_permission(user, Perm.MANAGE_STAFF).values_list("pk", flat=True))
    return set(Membership.objects.filter(user=member).values_list("shop_id", flat=True)) <= managed


@require_POST
@requires(Perm.MANAGE_STAFF)
def member_action(request, code, membership_id, action):
    shop = managed_shop(request.user, code)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=membership_id, shop=shop)
    member = membership.user
    if action == "remove":
        with transaction.atomic():
            if (
                membership.role == Role.ADMINISTRATOR
                and not Membership.objects.filter(shop=shop, role=Role.ADMINISTRATOR).exclude(pk=membership.pk).exists()
            ):
                messages.error(
                    request,
                    f"{member.username} is the last Administrator of {shop.name}; "
                    "make someone else Administrator first.",
                )
                return redirect("access_review", code=shop.code)
            membership.delete()  # the audit row comes from the membership receiver
        messages.success(request, f"{member.username} no longer has access to {shop.name}.")
    elif action in {"sign_out", "reset_two_factor"} and not administers_whole(request.user, member):
        raise PermissionDenied(
            f"{member.username} also works where you are not an Administrator (or is staff): "
            "signing them out everywhere or resetting their two-factor is for an Administrator "
            "of every one of their shops. You may remove them from this shop."
        )
    elif action == "sign_out":
        sign_out_everywhere(
            member, by=request.user, shop=shop, keep_session=request.session if member == request.user else None
        )
        messages.success(request, f"{member.username} was signed out of every session.")
    elif action == "reset_two_factor":
        remove_two_factor(member, by=request.user, shop=shop)
        sign_out_everywhere(
            member, by=request.user, shop=shop, keep_session=request.session if member == request.user else None
        )
        note = " They must set it up again at their next sign-in." if needs_two_factor(member) else ""
        messages.success(request, f"Two-factor authentication of {member.username} was reset.{note}")
    else:
        raise Http404(f"There is no member action “{action}”.")
    return redirect("access_review", code=shop.code)
