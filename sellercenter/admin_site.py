"""Django admin behind the Seller Center's own sign-in, where the second factor is asked.

django-otp's OTPAdminSite admits only users whose session passed a two-factor check. Its login page
is replaced by a redirect to the Seller Center sign-in (one place where passwords, lockouts and codes
are handled and audited); a signed-in user who is not staff gets a 403 page instead of a loop.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django_otp.admin import OTPAdminSite


class SellerCenterAdminSite(OTPAdminSite):
    site_header = "Seller Center administration"
    site_title = "Seller Center admin"

    def __init__(self, name="admin"):  # django-otp names its site "otpadmin"; keep admin: URL names
        super().__init__(name)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise PermissionDenied("Django admin is for staff accounts signed in with two-factor authentication.")
        return redirect_to_login(request.GET.get("next") or self.index_url(request))

    @staticmethod
    def index_url(request):
        return request.path.rsplit("login/", 1)[0]
