from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True, "spellcheck": "false"}
        ),
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not code.isalnum():
            raise forms.ValidationError("A code has only digits (app) or letters and digits (recovery code).")
        return code


class AppCodeForm(CodeForm):
    code = forms.RegexField(
        label="Code from the app",
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": "Type the 6 digits your authenticator app shows."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
