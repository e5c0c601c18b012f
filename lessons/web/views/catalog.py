"""Public pages: the list of published lessons and a lesson as a student sees it before answering."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lessons import selectors


def home(request: HttpRequest) -> HttpResponse:
    lessons = selectors.published_lessons_for(request.user)
    return render(request, "lessons/home.html", {"lessons": lessons})


def lesson_detail(request: HttpRequest, slug: str) -> HttpResponse:
    revision = selectors.published_revision_for(request.user, slug=slug)
    page = selectors.student_view_of(revision)
    return render(request, "lessons/lesson_detail.html", {"lesson": revision.lesson, "page": page})
