"""The user's own security page: two-factor set-up and removal, recovery codes, other sessions."""

from django.contrib import messages
from django.contrib.auth.views import PasswordChangeView
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from accounts.decorators import signed_in
from accounts.forms import AppCodeForm, CodeForm
from accounts.models import AuditEvent, AuditKind
from accounts.services import audit
from accounts.services.sessions import sign_out_everywhere
from accounts.services.two_factor import (
    Verdict,
    check_code,
    confirm_enrolment,
    has_two_factor,
    issue_recovery_codes,
    needs_two_factor,
    pending_device,
    qr_svg,
    recovery_codes_left,
    remove_two_factor,
    secret_for_typing,
)

from .sign_in import safe_next

FRESH_CODES_KEY = "sc_fresh_recovery_codes"


@never_cache
@require_http_methods(["GET"])
@signed_in
def security(request):
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "has_two_factor": has_two_factor(user),
            "required": needs_two_factor(user),
            "codes_left": recovery_codes_left(user),
            "remove_form": CodeForm(),
            "recent": AuditEvent.objects.filter(actor=user).order_by("-at", "-id")[:15],
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@signed_in
def setup(request):
    """Enrolment: a QR code drawn here, the key for typing, and the first code to confirm."""
    user = request.user
    if has_two_factor(user) and not request.user.is_verified():
        return redirect("two_factor_verify")
    if has_two_factor(user) and request.method == "GET":
        messages.info(request, "Two-factor authentication is already on.")
        return redirect("security")
    device = pending_device(user)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = confirm_enrolment(user, device, form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            request.session[FRESH_CODES_KEY] = codes
            return redirect(f"{reverse('recovery_codes')}?{urlencode({'next': safe_next(request, '')})}")
        form.add_error("code", "That code does not match. Scan the QR code again or check your phone's clock.")
    return render(
        request,
        "accounts/setup.html",
        {
            "form": form,
            "qr": qr_svg(device),
            "secret": secret_for_typing(device),
            "required": needs_two_factor(user),
            "next": safe_next(request, ""),
        },
        status=400 if form.is_bound else 200,
    )


@never_cache
@require_http_methods(["GET"])
@signed_in
def recovery_codes(request):
    """Shows freshly issued recovery codes once; they are not stored anywhere they could be shown again."""
    codes = request.session.pop(FRESH_CODES_KEY, None)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": safe_next(request)})


@require_POST
@signed_in
def renew_recovery_codes(request):
    if not has_two_factor(request.user):
        messages.error(request, "Recovery codes come with two-factor authentication; set that up first.")
        return redirect("security")
    request.session[FRESH_CODES_KEY] = issue_recovery_codes(request.user)
    return redirect("recovery_codes")


@require_POST
@signed_in
def turn_off(request):
    user = request.user
    if needs_two_factor(user):
        messages.error(request, "Your role requires two-factor authentication; it cannot be turned off.")
        return redirect("security")
    form = CodeForm(request.POST)
    verdict = check_code(user, form.cleaned_data["code"])[0] if form.is_valid() else Verdict.WRONG
    if verdict != Verdict.ACCEPTED:
        messages.error(request, "Type a current code from your app (or a recovery code) to turn two-factor off.")
        return redirect("security")
    remove_two_factor(user, by=user)
    messages.success(request, "Two-factor authentication is off.")
    return redirect("security")


@require_POST
@signed_in
def sign_out_other_sessions(request):
    sign_out_everywhere(request.user, by=request.user, keep_session=request.session)
    messages.success(request, "Every other session of yours was signed out.")
    return redirect("security")


class ChangePassword(PasswordChangeView):
    """Django's password change (validators, old password, session kept); recorded."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("security")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(AuditKind.PASSWORD_CHANGED, request=self.request, target=self.request.user.get_username())
        messages.success(self.request, "Your password was changed.")
        return response


change_password = signed_in(ChangePassword.as_view())
