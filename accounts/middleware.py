"""Request-level security: the audit context, session limits and revocation, and the two-factor gate."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.urls import Resolver404, resolve
from django.utils import timezone

from accounts.models import AuditKind, SecurityProfile
from accounts.services import audit
from accounts.services.sessions import SEEN_KEY, STARTED_KEY, spared, stamp_session
from accounts.services.two_factor import has_two_factor, needs_two_factor

ACTIVITY_GRANULARITY = 60  # seconds: last activity is written at most once a minute per session


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit.request_context(request):
            return self.get_response(request)


class SessionLimitsMiddleware:
    """Ends a session that was idle too long, is older than the absolute lifetime, was signed out
    everywhere, or belongs to a user who was deactivated or deleted: on the very next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self.refusal(request)
        if refusal is not None:
            return refusal
        return self.get_response(request)

    def refusal(self, request):
        session = request.session
        if not request.user.is_authenticated:
            if session.get(SESSION_KEY):  # signed in once, but the user is now inactive or gone
                return self.end(
                    request,
                    AuditKind.SESSION_REFUSED,
                    "revoked",
                    "Your access has been revoked. Ask an Administrator if you think this is a mistake.",
                    user_id=session.get(SESSION_KEY),
                )
            return None
        now = timezone.now().timestamp()
        started, seen = session.get(STARTED_KEY), session.get(SEEN_KEY)
        profile = _profile(request.user)
        revoked_at = profile.sessions_revoked_at if profile is not None else None
        # A session without stamps predates these limits: it counts as started before any cut-off.
        if revoked_at and revoked_at.timestamp() >= (started or 0) and not spared(session, revoked_at):
            return self.end(
                request,
                AuditKind.SESSION_REFUSED,
                "signed out everywhere",
                "You were signed out on every device by an Administrator or by yourself. Please sign in again.",
            )
        if started is None or seen is None:
            stamp_session(session)  # ...and starts counting its idle and absolute limits now
            return None
        if now - started > settings.SESSION_ABSOLUTE_LIFETIME.total_seconds():
            hours = settings.SESSION_ABSOLUTE_LIFETIME.total_seconds() / 3600
            return self.end(
                request,
                AuditKind.SESSION_EXPIRED,
                "absolute",
                f"You were signed out: sessions last at most {hours:g} hours. Please sign in again.",
            )
        if now - seen > settings.SESSION_IDLE_TIMEOUT.total_seconds():
            minutes = settings.SESSION_IDLE_TIMEOUT.total_seconds() / 60
            return self.end(
                request,
                AuditKind.SESSION_EXPIRED,
                "idle",
                f"You were signed out after {minutes:g} minutes without activity. Please sign in again.",
            )
        if now - seen >= ACTIVITY_GRANULARITY:
            session[SEEN_KEY] = now
            SecurityProfile.objects.update_or_create(user=request.user, defaults={"last_seen_at": timezone.now()})
        return None

    @staticmethod
    def end(request, kind, reason, message, user_id=None):
        user = request.user if request.user.is_authenticated else None
        audit.record(
            kind,
            request=request,
            actor=user,
            target=f"user #{user_id or user.pk}",
            summary=f"{kind.label}: {reason}",
            reason=reason,
            path=request.path,
        )
        request.session.flush()
        request.user = AnonymousUser()
        messages.warning(request, message)
        return redirect_to_login(request.get_full_path() if request.method == "GET" else "/")


def _profile(user):
    try:
        return user.security
    except SecurityProfile.DoesNotExist:
        return None


# URL names a signed-in user may reach before the second factor: signing in and out, and 2FA itself.
TWO_FACTOR_EXEMPT = frozenset({"login", "logout", "two_factor_verify", "two_factor_setup", "recovery_codes"})


class TwoFactorRequiredMiddleware:
    """A user with two-factor authentication must pass it before any page; a user whose role (or staff
    status) requires it and who has none is sent to set it up first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not self.exempt(request):
            if has_two_factor(user):
                return redirect_to_login(request.get_full_path(), login_url="two_factor_verify")
            if needs_two_factor(user):
                messages.info(request, "Your role requires two-factor authentication. Set it up to continue.")
                return redirect_to_login(request.get_full_path(), login_url="two_factor_setup")
        return self.get_response(request)

    @staticmethod
    def exempt(request):
        try:
            return resolve(request.path_info).url_name in TWO_FACTOR_EXEMPT
        except Resolver404:
            return False
