from django import forms

from accounts.roles import Perm
from accounts.services.permissions import shops_with_permission

from .url_safety import UnsafeUrl, check_webhook_url


class AppForm(forms.Form):
    name = forms.CharField(max_length=120)
    webhook_url = forms.URLField(
        label="Webhook URL",
        required=False,
        assume_scheme="https",
        help_text="Optional: ORDER_STATUS_CHANGE events are POSTed here (https, a public address).",
    )

    def clean_webhook_url(self):
        url = self.cleaned_data["webhook_url"]
        if url:
            try:
                check_webhook_url(url)
            except UnsafeUrl as unsafe:
                raise forms.ValidationError(str(unsafe)) from None
        return url


class AuthoriseForm(forms.Form):
    app = forms.ModelChoiceField(queryset=None, label="App")
    shops = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, help_text="The app reads the orders of these shops."
    )

    def __init__(self, *args, user, apps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["app"].queryset = apps.filter(revoked_at__isnull=True)
        self.fields["shops"].queryset = shops_with_permission(user, Perm.MANAGE_STAFF).order_by("name")
