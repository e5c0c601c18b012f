"""Forms of the learner-facing web pages."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    UserCreationForm,
    UsernameField,
)
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from lessons.services.people import known_time_zones, temporary_password_expired


class SignUpForm(UserCreationForm):
    """A new account: a username, an optional e-mail address and a password checked by
    AUTH_PASSWORD_VALIDATORS (UserCreationForm runs them, and refuses a username already taken), and whether
    the person teaches (services.people.account_sign_up makes the account)."""

    email = forms.EmailField(
        label=_("E-mail address (optional)"),
        required=False,
        max_length=254,
        help_text=_("Only used to send you a link if you forget your password."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    is_teacher = forms.BooleanField(
        label=_("I am a teacher"),
        required=False,
        help_text=_("Teachers can create classes, add students and assign lessons."),
    )

    class Meta:
        model = get_user_model()
        fields = ("username", "email")
        field_classes = {"username": UsernameField}

    def clean_email(self) -> str:
        return get_user_model().objects.normalize_email(self.cleaned_data["email"])

    def clean_username(self) -> str:
        # Django's message ("A user with that username already exists.") confirms an account; this one
        # only asks for another name (and sign-ups are limited per address, services.throttle).
        username = self.cleaned_data.get("username")
        if username and get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("This username cannot be used. Choose another."), code="unavailable"
            )
        return str(username)


def time_zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone.replace("_", " ")) for zone in sorted(known_time_zones())]


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("Dates and times are shown in this zone, and due dates name it."),
    )


class NewPasswordChangeForm(PasswordChangeForm):
    """Django's change form, refusing the password the account has now as the new one: a one-time password
    a teacher saw must really be replaced."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        new = cleaned.get("new_password2")
        if new and self.user.check_password(new):
            self.add_error("new_password2", _("Choose a password different from the one you have now."))
        return cleaned


class LoginForm(AuthenticationForm):
    """Django's login form, refusing a one-time password past its expiry (ONE_TIME_PASSWORD_MAX_AGE)."""

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if temporary_password_expired(user):
            raise forms.ValidationError(
                _("This one-time password has expired. Ask your teacher for a new one."),
                code="one_time_password_expired",
            )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Where you will use it, for example “my laptop” or “school LMS”."),
    )
    read_only = forms.BooleanField(
        label=_("Read-only"), required=False, help_text=_("It may read, never change anything.")
    )
