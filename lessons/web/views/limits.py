"""Log in and password reset with the abuse limits of services.throttle: Django's own views, with the
account's and the client address's tries counted and, past the limit, refused (429)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from lessons.mail import email_is_configured
from lessons.services.throttle import (
    LOGIN_PER_ACCOUNT,
    LOGIN_PER_ADDRESS,
    RESET_PER_ACCOUNT,
    RESET_PER_ADDRESS,
    Throttled,
    client_address,
    throttle_check_all,
    throttle_clear,
    throttle_hit_all,
)
from lessons.web.forms import LoginForm

logger = logging.getLogger(__name__)


class ThrottledAuthenticationForm(LoginForm):
    """Refuses every try, right password or not, while the account or the address is locked out; counts
    each failed one. An expired one-time password is refused as LoginForm refuses it."""

    throttled: Throttled | None = None

    def clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username") or "")
        address = client_address(self.request) if self.request is not None else ""
        limits = ((LOGIN_PER_ACCOUNT, username), (LOGIN_PER_ADDRESS, address))
        try:
            throttle_check_all(*limits)
        except Throttled as error:
            self.throttled = error
            raise ValidationError(error.message, code="throttled") from None
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle_hit_all(*limits)
            raise
        throttle_clear(LOGIN_PER_ACCOUNT, username)
        return cleaned


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm

    def form_invalid(self, form: ThrottledAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        if form.throttled is not None:
            response.status_code = Throttled.status
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's; requests are limited per e-mail address and per client address. A refused request says so
    whether or not the address has an account, so it reveals nothing."""

    template_name = "registration/reset_password.html"
    email_template_name = "registration/reset_password_email.txt"
    subject_template_name = "registration/reset_password_subject.txt"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Without a mail server (no EMAIL_URL or EMAIL_HOST) no link can be sent: say so plainly rather
        # than pretend one was (the page after a request says "sent" whatever happens).
        if not email_is_configured(settings.EMAIL_BACKEND):
            if request.method == "POST":
                logger.error("A password reset was asked for, but no e-mail server is configured.")
            return render(request, "registration/reset_password_unavailable.html", status=503)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        limits = (
            (RESET_PER_ADDRESS, client_address(self.request)),
            (RESET_PER_ACCOUNT, form.cleaned_data["email"]),
        )
        try:
            throttle_check_all(*limits)
        except Throttled as error:
            form.add_error(None, error.message)
            response = self.form_invalid(form)
            response.status_code = error.status
            return response
        throttle_hit_all(*limits)
        return super().form_valid(form)
