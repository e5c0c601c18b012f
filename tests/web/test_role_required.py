"""The one decorator that guards every page by role: where a visitor is sent to log in (and comes back to),
and who gets a 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django_htmx.middleware import HtmxDetails

from lessons.services.classroom import teacher_make
from lessons.web.decorators import Role, role_required

LOGIN = "/accounts/login/"


def page(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("the page")


def visit(
    role: Role,
    method: str,
    path: str,
    *,
    user: Any = None,
    htmx: bool = False,
    of_class: bool = False,
    **kwargs: Any,
) -> HttpResponse:
    headers = {"HX-Request": "true"} if htmx else {}
    request = RequestFactory().generic(method, path, headers=headers)
    request.user = user or AnonymousUser()
    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
    return role_required(role, of_class=of_class)(page)(request, **kwargs)


def login_next(response: HttpResponse) -> str:
    location = response["Location"] if "Location" in response else response["HX-Redirect"]
    assert location.startswith(LOGIN + "?next=")
    return location.removeprefix(LOGIN + "?next=").replace("%3F", "?").replace("%3D", "=")


@pytest.mark.parametrize("role", ["learner", "student", "teacher"])
def test_a_visitor_opening_a_page_comes_back_to_it_after_logging_in(role: Role) -> None:
    response = visit(role, "GET", "/some/page/?attempt=3")

    assert response.status_code == 302
    assert login_next(response) == "/some/page/?attempt=3"


@pytest.mark.parametrize(
    ("role", "kwargs", "back"),
    [
        ("learner", {"slug": "brief"}, reverse("lessons:play", args=["brief"])),
        ("learner", {"item_id": 4}, reverse("lessons:review")),
        ("learner", {}, "/accounts/profile/"),
        ("student", {"assignment_id": 5}, reverse("lessons:assignment_home", args=[5])),
        ("student", {}, reverse("lessons:my_classes")),
        ("teacher", {"classroom_id": 6}, reverse("lessons:classroom_detail", args=[6])),
        ("teacher", {"assignment_id": 7}, reverse("lessons:assignment_results", args=[7])),
        ("teacher", {"response_id": 8}, reverse("lessons:teacher_dashboard")),
    ],
)
def test_a_form_posted_while_signed_out_comes_back_to_its_page_not_its_action(
    role: Role, kwargs: dict[str, Any], back: str
) -> None:
    response = visit(role, "POST", "/accounts/profile/", **kwargs)

    assert login_next(response) == back


@pytest.mark.parametrize(("role", "whole_page"), [("learner", True), ("student", True), ("teacher", False)])
def test_an_htmx_request_of_a_learner_or_student_is_sent_to_log_in_as_a_whole_page(
    role: Role, whole_page: bool
) -> None:
    response = visit(role, "GET", "/some/page/", htmx=True)

    assert ("HX-Redirect" in response) is whole_page
    assert response.status_code == (200 if whole_page else 302)


@pytest.mark.django_db
def test_a_teacher_page_is_404_for_a_signed_in_user_who_does_not_teach(django_user_model: type[User]) -> None:
    student = django_user_model.objects.create_user("student")
    teacher = django_user_model.objects.create_user("teacher")
    teacher_make(user=teacher)

    with pytest.raises(Http404):
        visit("teacher", "GET", "/teach/", user=student)
    assert visit("teacher", "GET", "/teach/", user=teacher).content == b"the page"
    assert visit("learner", "GET", "/progress/", user=student).content == b"the page"
    # A page of one class leaves the check to its lookup of the class with its teachers.
    assert visit("teacher", "GET", "/teach/classes/1/", user=student, of_class=True).content == b"the page"
