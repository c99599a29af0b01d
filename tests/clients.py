from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services.two_factor import has_two_factor, needs_two_factor


class SignedInClient(Client):
    """The test client, whose force_login also passes the second factor when the user has one or needs
    one, as a real sign-in would. Tests of the two-factor flow itself use a plain `Client()`."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if user.is_staff or user.is_superuser or needs_two_factor(user) or has_two_factor(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
                user=user, name="Test app", confirmed=True
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
