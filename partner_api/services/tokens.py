"""Issuing and checking credentials: auth codes, access and refresh tokens, revocation."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from partner_api import errors
from partner_api.models import ApiApp, AuthCode, Grant, sha256

AUTH_CODE_LIFETIME = timedelta(minutes=10)


def access_lifetime() -> timedelta:
    return getattr(settings, "PARTNER_API_ACCESS_TOKEN_LIFETIME", timedelta(days=7))


def refresh_lifetime() -> timedelta:
    return getattr(settings, "PARTNER_API_REFRESH_TOKEN_LIFETIME", timedelta(days=365))


def _token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(48)


@dataclass(frozen=True)
class IssuedTokens:
    grant: Grant
    access_token: str
    refresh_token: str


def issue_auth_code(app: ApiApp, user, shops) -> str:
    """A single-use code for `app` to read `shops` as `user`; shown once, valid 10 minutes."""
    code = _token("SCAC_")
    auth = AuthCode.objects.create(
        app=app, user=user, code_hash=sha256(code), expires_at=timezone.now() + AUTH_CODE_LIFETIME
    )
    auth.shops.set(shops)
    return code


def check_app_secret(app_key: str, app_secret: str) -> ApiApp:
    app = ApiApp.objects.filter(app_key=app_key or "", revoked_at__isnull=True).first()
    if app is None or not secrets.compare_digest(app.app_secret.encode(), (app_secret or "").encode()):
        raise errors.ApiError(errors.UNKNOWN_APP, "app_key is unknown or revoked, or app_secret is wrong.")
    return app


@transaction.atomic
def exchange_auth_code(app: ApiApp, code: str) -> IssuedTokens:
    now = timezone.now()
    auth = AuthCode.objects.filter(app=app, code_hash=sha256(code or "")).first()
    if auth is None or auth.expires_at <= now:
        raise errors.ApiError(errors.AUTH_CODE_INVALID, "auth_code is unknown, expired or for another app.")
    # a conditional update: of two concurrent exchanges of one code, exactly one wins
    if not AuthCode.objects.filter(pk=auth.pk, used_at__isnull=True).update(used_at=now):
        raise errors.ApiError(errors.AUTH_CODE_INVALID, "auth_code was already used; authorise the app again.")
    access, refresh = _token("SCAT_"), _token("SCRT_")
    grant = Grant.objects.create(
        app=app,
        authorised_by=auth.user,
        access_token_hash=sha256(access),
        refresh_token_hash=sha256(refresh),
        access_expires_at=now + access_lifetime(),
        refresh_expires_at=now + refresh_lifetime(),
    )
    grant.shops.set(auth.shops.all())
    return IssuedTokens(grant, access, refresh)


@transaction.atomic
def refresh(app: ApiApp, refresh_token: str) -> IssuedTokens:
    """A new access token (the old one stops working at once); the refresh token stays the same."""
    now = timezone.now()
    grant = Grant.objects.select_for_update().filter(app=app, refresh_token_hash=sha256(refresh_token or "")).first()
    if grant is None or grant.revoked_at is not None or grant.refresh_expires_at <= now:
        raise errors.ApiError(errors.REFRESH_TOKEN_INVALID, "refresh_token is unknown, expired or revoked.")
    access = _token("SCAT_")
    grant.access_token_hash = sha256(access)
    grant.access_expires_at = now + access_lifetime()
    grant.save(update_fields=["access_token_hash", "access_expires_at"])
    return IssuedTokens(grant, access, refresh_token)


def grant_for_token(app: ApiApp, token: str) -> Grant:
    if not token:
        raise errors.ApiError(errors.TOKEN_MISSING, "Send the access token in the x-tts-access-token header.")
    grant = Grant.objects.select_related("app", "authorised_by").filter(access_token_hash=sha256(token)).first()
    if grant is None or grant.app_id != app.pk:
        raise errors.ApiError(errors.TOKEN_INVALID, "The access token is not valid for this app_key.")
    if grant.revoked_at is not None:
        raise errors.ApiError(errors.TOKEN_REVOKED, "The shop's Administrator revoked this authorisation.")
    if grant.access_expires_at <= timezone.now():
        raise errors.ApiError(errors.TOKEN_EXPIRED, "The access token has expired; call /api/v2/token/refresh.")
    return grant


def revoke_grant(grant: Grant) -> bool:
    """Revoke at once; False if it was revoked already."""
    return bool(Grant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()))
