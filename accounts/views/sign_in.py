"""Sign-in: password (Django's LoginView, guarded by django-axes), then the second factor."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView, LogoutView
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from accounts.decorators import public, signed_in
from accounts.forms import CodeForm
from accounts.models import AuditKind
from accounts.services import audit, ip_throttle
from accounts.services.lockout import clear_failures
from accounts.services.two_factor import Verdict, check_code, has_two_factor

_password_step = LoginView.as_view(redirect_authenticated_user=True)
sign_out = public(LogoutView.as_view())


@never_cache
@public
def sign_in(request, *args, **kwargs):
    """Django's sign-in page, refused with the pause page while the client's address is paused for
    failures across many usernames (accounts.services.ip_throttle), and at the failure that starts it."""
    if request.method == "POST" and ip_throttle.minutes_left(request):
        return _address_paused(request)
    response = _password_step(request, *args, **kwargs)
    if getattr(request, "sign_in_ip_paused", False):
        return _address_paused(request)
    return response


REFUSALS = {
    Verdict.WRONG: "That code is not right. Check the time on your phone and try again, or use a recovery code.",
    Verdict.REUSED: "That code was already used. Wait for the next code in your app.",
    Verdict.THROTTLED: "Too many wrong codes in a row. Wait a few seconds and try again.",
}


def safe_next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@never_cache
@require_http_methods(["GET", "POST"])
@signed_in
def verify(request):
    """The second step of signing in, for users with two-factor authentication."""
    user = request.user
    if user.is_verified() or not has_two_factor(user):
        return redirect(safe_next(request))
    credentials = {"username": user.get_username()}
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if AxesProxyHandler.is_locked(request, credentials):
            return _locked_out(request)
        if ip_throttle.minutes_left(request):
            logout(request)
            return _address_paused(request)
        if form.is_valid():
            verdict, device, facts = check_code(user, form.cleaned_data["code"])
            if verdict == Verdict.ACCEPTED:
                otp_login(request, device)
                clear_failures(request, user)
                audit.record(AuditKind.OTP_VERIFIED, request=request, target=user.get_username(), **facts)
                if facts.get("method") == "recovery code":
                    messages.warning(
                        request,
                        f"You signed in with a recovery code; {facts['codes_left']} left. "
                        "Make new ones on your Security page if you are running low.",
                    )
                return redirect(safe_next(request))
            audit.record(
                AuditKind.OTP_FAILED,
                request=request,
                target=user.get_username(),
                summary=f"Two-factor code refused ({verdict})",
                verdict=verdict,
                **{k: str(v) for k, v in facts.items()},
            )
            if verdict != Verdict.THROTTLED:  # wrong codes count toward the same lockout as wrong passwords
                user_login_failed.send(
                    sender=__name__, credentials=credentials, request=request, reason=f"two-factor code {verdict}"
                )
                if getattr(request, "sign_in_ip_paused", False):
                    logout(request)
                    return _address_paused(request)
                if getattr(request, "axes_locked_out", False) or AxesProxyHandler.is_locked(request, credentials):
                    return _locked_out(request)
            form.add_error("code", REFUSALS[verdict])
        status = 400
    return render(request, "accounts/verify.html", {"form": form, "next": safe_next(request, "")}, status=status)


def _locked_out(request):
    logout(request)
    return render(request, "accounts/locked_out.html", status=429)


def _address_paused(request):
    minutes = ip_throttle.minutes_left(request) or int(settings.SIGN_IN_IP_COOLOFF.total_seconds() // 60)
    return render(request, "accounts/address_paused.html", {"minutes": minutes}, status=429)
