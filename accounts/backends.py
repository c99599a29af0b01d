from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class SellerCenterBackend(ModelBackend):
    """Django's model backend, loading the user's security profile in the same query: the session checks
    run on every request and must not cost one more."""

    def get_user(self, user_id):
        try:
            user = get_user_model()._default_manager.select_related("security").get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
