"""Teacher invitations (DESIGN.md rule 12): a verified teacher makes a signed link that expires; whoever signs
up or logs in through it and accepts it becomes a verified teacher of the inviter's school."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lessons.services.errors import ServiceError
from lessons.services.people import (
    TEACHER_INVITATION_LIFETIME,
    teacher_invitation_accept,
    teacher_invitation_make,
)
from lessons.web.decorators import role_required, signed_in_user


@never_cache
@require_http_methods(["GET", "POST"])
@role_required("teacher")
def invite(request: HttpRequest) -> HttpResponse:
    """A verified teacher makes an invitation link for a colleague (POST); anyone else is told why not."""
    context: dict[str, object] = {"days": TEACHER_INVITATION_LIFETIME.days}
    status = 200
    if request.method == "POST":
        try:
            token = teacher_invitation_make(by=signed_in_user(request))
        except ServiceError as error:
            context["problem"] = error.message
            status = error.status
        else:
            context["link"] = request.build_absolute_uri(reverse("teacher_invitation", args=[token]))
    return render(request, "lessons/teach/invite.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation: sign up or log in first (coming back here), then accept it with a POST."""
    here = reverse("teacher_invitation", args=[token])
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(here)
        return render(request, "registration/teacher_invitation.html", {"here": here})
    if request.method == "POST":
        try:
            teacher_invitation_accept(user=signed_in_user(request), token=token)
        except ServiceError as error:
            context = {"here": here, "problem": error.message}
            return render(request, "registration/teacher_invitation.html", context, status=error.status)
        messages.success(request, _("You are now a verified teacher."))
        return redirect("lessons:teacher_dashboard")
    return render(request, "registration/teacher_invitation.html", {"here": here})
