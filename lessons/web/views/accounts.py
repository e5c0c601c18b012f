"""Accounts: signing up (as a learner, or as a teacher) and the profile page.

Logging in and out and changing or resetting a password are Django's own auth views (account_urls.py names
their templates); only what Django does not provide is written here.
"""

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from lessons import selectors
from lessons.services.classroom import teacher_make
from lessons.web.forms import SignUpForm

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


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(HOME)
    next_url = safe_next_url(request)
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                user = form.save()
                teaches = form.cleaned_data["is_teacher"]
                if teaches:
                    teacher_make(user=user)
            login(request, user)
            return redirect(next_url or resolve_url(TEACHER_HOME if teaches else HOME))
    else:
        form = SignUpForm()
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    lessons = selectors.published_lessons_for(request.user)
    return render(request, "lessons/profile.html", {"lessons": lessons})
