"""Session start and activity stamps, and ending every session of a user."""

from django.utils import timezone

from accounts.models import AuditKind, SecurityProfile

from . import audit

STARTED_KEY = "sc_started_at"
SEEN_KEY = "sc_seen_at"
KEPT_KEY = "sc_kept_through_sign_out_at"  # the sign-out-everywhere this session was spared from


def stamp_session(session) -> None:
    now = timezone.now().timestamp()
    session[STARTED_KEY] = now
    session[SEEN_KEY] = now


def sign_out_everywhere(user, *, by, shop=None, keep_session=None) -> None:
    """Every session of `user` that started before now is refused on its next request.

    `keep_session`: the caller's own session when people sign out their *other* sessions; it gets
    a new key and is marked as spared from this cut-off. Its start stamp stays: the absolute
    lifetime still counts from the sign-in."""
    now = timezone.now()
    SecurityProfile.objects.update_or_create(user=user, defaults={"sessions_revoked_at": now})
    audit.record(
        AuditKind.SIGNED_OUT_EVERYWHERE,
        actor=by,
        shop=shop,
        target=user.get_username(),
        summary=f"Signed {user.get_username()} out of every session",
    )
    if keep_session is not None:
        keep_session.cycle_key()
        keep_session[KEPT_KEY] = now.timestamp()


def spared(session, revoked_at) -> bool:
    """Whether this session was the one kept when its user signed out everywhere else at `revoked_at`."""
    return abs(session.get(KEPT_KEY, 0) - revoked_at.timestamp()) < 0.001
