import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from guardian.models import UserObjectPermissionBase

from accounts.roles import Perm, Role

SHOP_CODE_PREFIX = "GCP_"


def new_shop_code():
    """An opaque public shop code, shaped like the platform's shop_cipher."""
    return SHOP_CODE_PREFIX + secrets.token_urlsafe(24)


def validate_time_zone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"{value!r} is not an IANA time zone such as Europe/London.") from None


class Shop(models.Model):
    name = models.CharField(max_length=120)
    code = models.CharField(
        "shop cipher",
        max_length=64,
        unique=True,
        default=new_shop_code,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$", "Letters, digits, _ and - only.")],
        help_text="Public shop code used by the Partner API (the platform's shop_cipher).",
    )
    country = models.CharField(
        max_length=2, validators=[RegexValidator(r"^[A-Z]{2}$", "An ISO 3166-1 code such as US.")]
    )
    currency = models.CharField(
        max_length=3, validators=[RegexValidator(r"^[A-Z]{3}$", "An ISO 4217 code such as USD.")]
    )
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        permissions = [(perm.value, perm.label) for perm in Perm]

    def __str__(self):
        return f"{self.name} ({self.country})"

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.time_zone)


class Membership(models.Model):
    """A person's role in one shop. Saving or deleting one re-grants the shop permissions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "shop"], name="one_role_per_user_and_shop"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_known"),
        ]
        ordering = ["shop__name", "user__username"]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} at {self.shop.name}"

    def save(self, *args, **kwargs):
        # The signal handlers re-grant guardian permissions; one transaction holds both writes.
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            return super().delete(*args, **kwargs)


class ShopUserPermission(UserObjectPermissionBase):
    """Guardian object permissions with a real foreign key to Shop (faster than the generic table)."""

    content_object = models.ForeignKey(Shop, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "shop permission"
