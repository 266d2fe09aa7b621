"""Forms of the team page. They check what was typed; team.accounts decides what may change."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError

ROLE_CHOICES = [
    ("viewer", "Viewer: browses"),
    ("admin", "Admin: changes things, sees tokens"),
]


def _password_help() -> str:
    return " ".join(password_validators_help_texts())


class PasswordPairForm(forms.Form):
    """A new password typed twice, checked with the project's password validators."""

    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Confirm password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="The same password again.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = _password_help()

    def _user_for_validation(self):
        raise NotImplementedError

    def add_error(self, field, error):
        super().add_error(field, error)
        # The first field to fix takes the focus, on the page and in a dialog alike.
        first = next((name for name in self.fields if name in self.errors), None)
        for name, bound in self.fields.items():
            if name == first:
                bound.widget.attrs["autofocus"] = True
            else:
                bound.widget.attrs.pop("autofocus", None)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords differ: type the same password twice.")
        elif password1:
            try:
                validate_password(password1, self._user_for_validation())
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class MemberAddForm(PasswordPairForm):
    username = forms.CharField(
        max_length=150,
        validators=[get_user_model().username_validator],
        help_text="What they log in with: letters, digits and @ . + - _ only.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none",
                                      "spellcheck": "false"}),
    )
    role = forms.ChoiceField(choices=ROLE_CHOICES, initial="viewer")

    field_order = ["username", "role", "password1", "password2"]

    def _user_for_validation(self):
        return get_user_model()(username=self.cleaned_data.get("username", ""))

    @property
    def admin(self) -> bool:
        return self.cleaned_data["role"] == "admin"


class MemberPasswordForm(PasswordPairForm):
    def __init__(self, *args, member, **kwargs):
        self.member = member
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "New password"

    def _user_for_validation(self):
        return self.member
