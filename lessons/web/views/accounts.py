"""Accounts: signing up (as a learner, or as a teacher) and the profile page (with the viewer's time zone).

Logging in and out and changing or resetting a password are Django's own auth views (account_urls.py names
their templates); only what Django does not provide is written here.
"""

from typing import cast

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from lessons import selectors
from lessons.services.api_tokens import token_create, token_revoke, user_tokens
from lessons.services.errors import ServiceError
from lessons.services.people import (
    SESSION_TEMPORARY_PASSWORD,
    SESSION_TIME_ZONE,
    account_sign_up,
    password_chosen,
    preferences_set_time_zone,
)
from lessons.services.throttle import (
    SIGNUP_PER_ADDRESS,
    Throttled,
    client_address,
    throttle_check,
    throttle_hit,
)
from lessons.web.classroom_forms import add_service_error
from lessons.web.decorators import role_required
from lessons.web.forms import ApiTokenForm, NewPasswordChangeForm, SignUpForm, TimeZoneForm

HOME = "lessons:home"
TEACHER_HOME = "lessons:teacher_dashboard"


def safe_next_url(request: HttpRequest) -> str:
    """The `next` the request carries when it stays on this site, else ""; never an open redirect."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


def signup_refused(request: HttpRequest, form: SignUpForm, next_url: str) -> HttpResponse | None:
    """Every sign-up try counts against the client address (services.throttle); past the limit, 429."""
    address = client_address(request)
    try:
        throttle_check(SIGNUP_PER_ADDRESS, address)
    except Throttled as error:
        form.full_clean()
        form.add_error(None, error.message)
        context = {"form": form, "next": next_url}
        return render(request, "registration/signup.html", context, status=error.status)
    throttle_hit(SIGNUP_PER_ADDRESS, address)
    return None


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(HOME)
    next_url = safe_next_url(request)
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if refused := signup_refused(request, form, next_url):
            return refused
        if form.is_valid():
            teaches = form.cleaned_data["is_teacher"]
            user = account_sign_up(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                teaches=teaches,
            )
            login(request, user)
            return redirect(next_url or resolve_url(TEACHER_HOME if teaches else HOME))
    else:
        form = SignUpForm()
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


# What a profile form posts in `action`: the time zone (the default), or making or revoking an API token.
TOKEN_CREATE = "token_create"  # noqa: S105 -- a form action, not a secret
TOKEN_REVOKE = "token_revoke"  # noqa: S105 -- a form action, not a secret


@role_required("learner")
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The account, the lessons the user can take, the time zone their dates and times are shown in, and
    their API tokens: made (and shown) once, listed, revoked."""
    user = cast(User, request.user)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == TOKEN_CREATE:
        return _create_token(request, user)
    if action == TOKEN_REVOKE:
        return _revoke_token(request, user)
    status = 200
    if request.method == "POST":
        form = TimeZoneForm(request.POST)
        if form.is_valid():
            try:
                chosen = preferences_set_time_zone(user=user, time_zone=form.cleaned_data["time_zone"])
            except ServiceError as error:
                add_service_error(form, error)
            else:
                request.session[SESSION_TIME_ZONE] = chosen.time_zone
                messages.success(
                    request, _("Dates and times are now shown in %(zone)s.") % {"zone": chosen.time_zone}
                )
                return redirect("profile")
        status = 400
    else:
        form = TimeZoneForm(initial={"time_zone": timezone.get_current_timezone_name()})
    return _render_profile(request, user, zone_form=form, status=status)


def _render_profile(
    request: HttpRequest,
    user: User,
    *,
    zone_form: TimeZoneForm | None = None,
    token_form: ApiTokenForm | None = None,
    new_token: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "lessons": selectors.published_lessons_for(user),
        "zone_form": zone_form or TimeZoneForm(initial={"time_zone": timezone.get_current_timezone_name()}),
        "token_form": token_form or ApiTokenForm(prefix="token"),
        "tokens": user_tokens(user),
        "new_token": new_token,
    }
    return render(request, "lessons/profile.html", context, status=status)


def _create_token(request: HttpRequest, user: User) -> HttpResponse:
    """Make a token and show it this once (the page is not stored: PrivatePagesNotStoredMiddleware)."""
    form = ApiTokenForm(request.POST, prefix="token")
    if form.is_valid():
        try:
            made = token_create(
                user=user, name=form.cleaned_data["name"], read_only=form.cleaned_data["read_only"]
            )
        except ServiceError as error:
            add_service_error(form, error)
            return _render_profile(request, user, token_form=form, status=error.status)
        return _render_profile(request, user, new_token=made.secret, status=201)
    return _render_profile(request, user, token_form=form, status=400)


def _revoke_token(request: HttpRequest, user: User) -> HttpResponse:
    try:
        token_id = int(request.POST.get("token", ""))
        revoked = token_revoke(user=user, token_id=token_id)
    except (ValueError, ServiceError):
        raise Http404(_("No such token.")) from None
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": revoked.name})
    return redirect("profile")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, with a new password that must differ from the current one; choosing one ends a one-time
    password's hold (see TemporaryPasswordMiddleware)."""

    form_class = NewPasswordChangeForm
    template_name = "registration/change_password.html"

    def form_valid(self, form: NewPasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        password_chosen(user=form.user)
        self.request.session.pop(SESSION_TEMPORARY_PASSWORD, None)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's; a password set by a reset link is the user's own, so a one-time password no longer holds."""

    template_name = "registration/set_new_password.html"

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        password_chosen(user=form.user)
        return response
