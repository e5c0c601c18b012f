"""The authoring studio: "My lessons" and a lesson's pages while a teacher writes it.

Teachers only (role_required("teacher")); a lesson the user neither owns nor co-authors is 404 on every
page, as an unknown one is. Every change is a POST to a service of `lessons.services.authoring`, which checks
the author and the lesson's state again inside its transaction; these views parse, call and render.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lessons.models import Lesson
from lessons.selectors.authoring import authored_lessons, lesson_for_author
from lessons.web.decorators import role_required, signed_in_user

TEMPLATES = "lessons/studio/"


def authored(request: HttpRequest, slug: str) -> Lesson:
    """The lesson `slug` if the signed-in user may author it, else 404."""
    lesson = lesson_for_author(user=signed_in_user(request), slug=slug)
    if lesson is None:
        raise Http404(_("No such page."))
    return lesson


@role_required("teacher")
@require_http_methods(["GET", "HEAD"])
def my_lessons(request: HttpRequest) -> HttpResponse:
    lessons = list(authored_lessons(user=signed_in_user(request)))
    return render(request, TEMPLATES + "my_lessons.html", {"lessons": lessons})


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def new_lesson(request: HttpRequest) -> HttpResponse:
    return render(request, TEMPLATES + "new.html", {})


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    return render(request, TEMPLATES + "upload.html", {})


@role_required("teacher")
@require_http_methods(["GET", "HEAD"])
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = authored(request, slug)
    return render(request, TEMPLATES + "overview.html", {"lesson": lesson})


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def article(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = authored(request, slug)
    return render(request, TEMPLATES + "article.html", {"lesson": lesson})


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def entities(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = authored(request, slug)
    return render(request, TEMPLATES + "entities.html", {"lesson": lesson})


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def claims(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = authored(request, slug)
    return render(request, TEMPLATES + "claims.html", {"lesson": lesson})


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def lesson_settings(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = authored(request, slug)
    return render(request, TEMPLATES + "settings.html", {"lesson": lesson})


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def lesson_file(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = authored(request, slug)
    return render(request, TEMPLATES + "file.html", {"lesson": lesson})


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def duplicate(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = authored(request, slug)
    return render(request, TEMPLATES + "duplicate.html", {"lesson": lesson})


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def archive(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = authored(request, slug)
    return render(request, TEMPLATES + "archive.html", {"lesson": lesson})
