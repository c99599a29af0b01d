"""Session start and activity stamps, and ending every session of a user."""

from django.utils import timezone

from accounts.models import AuditKind, SecurityProfile

from . import audit

STARTED_KEY = "sc_started_at"
SEEN_KEY = "sc_seen_at"


def stamp_session(session) -> None:
    now = timezone.now().timestamp()
    session[STARTED_KEY] = now
    session[SEEN_KEY] = now


def sign_out_everywhere(user, *, by, shop=None, keep_session=None) -> None:
    """Every session of `user` that started before now is refused on its next request.

    `keep_session`: the caller's own session when people sign out their *other* sessions; it gets
    a new key and a start stamp after the cut-off."""
    now = timezone.now()
    SecurityProfile.objects.update_or_create(user=user, defaults={"sessions_revoked_at": now})
    audit.record(AuditKind.SIGNED_OUT_EVERYWHERE, actor=by, shop=shop, target=user.get_username(),
                 summary=f"Signed {user.get_username()} out of every session")
    if keep_session is not None:
        keep_session.cycle_key()
        keep_session[STARTED_KEY] = now.timestamp() + 0.001
        keep_session[SEEN_KEY] = now.timestamp()
