"""LTI 1.3 endpoints: the tool's JWKS, the OIDC login initiation, the launch, the lesson pickers (for a new
link and for deep linking) and the roster button of an LMS class. The rules live in `lessons.services.lti`.

Only the login initiation and the launch are CSRF-exempt: the platform posts them from its own site, with
no token of ours; the launch is tied to the browser that started the login by the state cookie instead.
That cookie is SameSite=None; Secure, so that the browser sends it with the platform's cross-site POST.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lessons import lti_jwt
from lessons.models import Lesson, LtiResourceLink
from lessons.selectors.classroom import classroom_for_teacher
from lessons.selectors.lti import active_platform, assignable_lesson, lessons_to_pick, link_for_teacher
from lessons.services import lti as services
from lessons.services.errors import ServiceError
from lessons.web.decorators import role_required, signed_in_user, teaching

STATE_COOKIE = "lti1p3_state"
SESSION_DEEP_LINKS = "lti_deep_links"
TEMPLATES = "lessons/lti/"


def refused(request: HttpRequest, error: ServiceError) -> HttpResponse:
    return render(request, TEMPLATES + "refused.html", {"message": error.message}, status=error.status)


@require_safe
def jwks(request: HttpRequest) -> JsonResponse:
    """The tool's public keys, for platforms to check what it signs."""
    response = JsonResponse(lti_jwt.tool_jwks())
    response["Cache-Control"] = "public, max-age=300"
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def login_initiation(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    try:
        start = services.lti_login_start(
            issuer=data.get("iss", ""),
            login_hint=data.get("login_hint", ""),
            target_link_uri=data.get("target_link_uri", ""),
            client_id=data.get("client_id", ""),
            lti_message_hint=data.get("lti_message_hint", ""),
            redirect_uri=request.build_absolute_uri(reverse("lessons:lti_launch")),
        )
    except ServiceError as error:
        return refused(request, error)
    response = redirect(start.redirect_url)
    response.set_cookie(
        STATE_COOKIE,
        start.state,
        max_age=int(services.LOGIN_STATE_LIFETIME.total_seconds()),
        secure=True,
        httponly=True,
        samesite="None",
    )
    return response


@csrf_exempt
@require_POST
def launch(request: HttpRequest) -> HttpResponse:
    try:
        done = services.lti_launch(
            id_token=request.POST.get("id_token", ""),
            state=request.POST.get("state", ""),
            browser_state=request.COOKIES.get(STATE_COOKIE),
        )
    except ServiceError as error:
        return refused(request, error)
    login(request, done.user, backend="django.contrib.auth.backends.ModelBackend")
    if done.deep_linking is not None:
        token = secrets.token_urlsafe(16)
        request.session[SESSION_DEEP_LINKS] = {
            token: {
                "platform": done.platform.pk,
                "deployment_id": done.deployment_id,
                "settings": done.deep_linking,
            }
        }
        response = redirect("lessons:lti_deep_link", token=token)
    elif done.assignment is None:
        assert done.link is not None
        response = redirect("lessons:lti_link_pick", link_id=done.link.pk)
    elif done.teaching:
        response = redirect("lessons:assignment_results", assignment_id=done.assignment.pk)
    else:
        response = redirect("lessons:assignment_home", assignment_id=done.assignment.pk)
    response.delete_cookie(STATE_COOKIE, samesite="None")
    return response


def _lessons(request: HttpRequest) -> list[Lesson]:
    return lessons_to_pick(signed_in_user(request))


@require_http_methods(["GET", "POST"])
@role_required("teacher")
def link_pick(request: HttpRequest, link_id: int) -> HttpResponse:
    """A teacher chooses the lesson a new course link opens."""
    link = link_for_teacher(signed_in_user(request), link_id)
    link = teaching(request, link)
    if link.assignment_id is not None:
        return redirect("lessons:assignment_results", assignment_id=link.assignment_id)
    if request.method == "POST":
        lesson = assignable_lesson(signed_in_user(request), request.POST.get("lesson", ""))
        if lesson is None:
            return _pick_page(request, link, problem=_("Choose one of the lessons listed."), status=400)
        try:
            assignment = services.lti_link_choose_lesson(
                link=link, lesson=lesson, teacher=signed_in_user(request)
            )
        except ServiceError as error:
            return _pick_page(request, link, problem=error.message, status=error.status)
        return redirect("lessons:assignment_results", assignment_id=assignment.pk)
    return _pick_page(request, link)


def _pick_page(
    request: HttpRequest, link: LtiResourceLink, *, problem: str = "", status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "heading": _("Choose the lesson this course link opens"),
        "lessons": _lessons(request),
        "problem": problem,
        "action": reverse("lessons:lti_link_pick", args=[link.pk]),
        "course": link.context.classroom.name,
    }
    return render(request, TEMPLATES + "pick.html", context, status=status)


@require_http_methods(["GET", "POST"])
@role_required("teacher")
def deep_link(request: HttpRequest, token: str) -> HttpResponse:
    """Deep linking: the teacher picks a lesson; the signed answer goes back to the platform."""
    pending = request.session.get(SESSION_DEEP_LINKS, {}).get(token)
    if pending is None:
        return refused(
            request, services.LtiRefused(_("This lesson choice has expired. Start again from the course."))
        )
    context: dict[str, Any] = {
        "heading": _("Choose a lesson to add to the course"),
        "lessons": _lessons(request),
        "problem": "",
        "action": reverse("lessons:lti_deep_link", args=[token]),
        "course": "",
    }
    if request.method == "POST":
        lesson = assignable_lesson(signed_in_user(request), request.POST.get("lesson", ""))
        platform = active_platform(pending["platform"])
        if lesson is None or platform is None:
            context["problem"] = _("Choose one of the lessons listed.")
            return render(request, TEMPLATES + "pick.html", context, status=400)
        try:
            answer = services.lti_deep_link_response(
                platform=platform,
                deployment_id=pending["deployment_id"],
                settings=pending["settings"],
                lesson=lesson,
                teacher=signed_in_user(request),
                launch_url=request.build_absolute_uri(reverse("lessons:lti_launch")),
            )
        except ServiceError as error:
            return refused(request, error)
        del request.session[SESSION_DEEP_LINKS][token]
        request.session.modified = True
        return render(request, TEMPLATES + "deep_link_return.html", {"answer": answer, "lesson": lesson})
    return render(request, TEMPLATES + "pick.html", context)


@require_POST
@role_required("teacher")
def roster_sync(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = teaching(request, classroom_for_teacher(signed_in_user(request), classroom_id))
    try:
        result = services.lti_roster_sync(classroom=classroom, teacher=signed_in_user(request))
    except ServiceError as error:
        return refused(request, error)
    messages.success(
        request,
        _("Students added from the course: %(added)s (already in the class: %(already)s).")
        % {"added": result.added, "already": result.already},
    )
    return redirect(reverse("lessons:classroom_detail", args=[classroom.pk]) + "#students")
