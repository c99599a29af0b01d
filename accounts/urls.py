from django.urls import path

from .views import access_review, audit_log, sign_in, two_factor

urlpatterns = [
    path("accounts/login/", sign_in.sign_in, name="login"),
    path("accounts/logout/", sign_in.sign_out, name="logout"),
    path("accounts/two-factor/", sign_in.verify, name="two_factor_verify"),
    path("accounts/security/", two_factor.security, name="security"),
    path("accounts/security/password/", two_factor.change_password, name="password_change"),
    path("accounts/security/two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("accounts/security/two-factor/turn-off/", two_factor.turn_off, name="two_factor_turn_off"),
    path("accounts/security/recovery-codes/", two_factor.recovery_codes, name="recovery_codes"),
    path("accounts/security/recovery-codes/renew/", two_factor.renew_recovery_codes, name="renew_recovery_codes"),
    path("accounts/security/sign-out-others/", two_factor.sign_out_other_sessions, name="sign_out_other_sessions"),
    path("security/audit/", audit_log.audit_log, name="audit_log"),
    path("access/", access_review.access_review_index, name="access_review_index"),
    path("shops/<str:code>/access/", access_review.access_review, name="access_review"),
    path(
        "shops/<str:code>/access/<int:membership_id>/<slug:action>/", access_review.member_action, name="member_action"
    ),
]
