"""Who may open a page: one decorator for every role, and the helper that records a class's teacher.

`role_required(role)` sends a visitor to log in and lets a signed-in user through, except that a
"teacher" page answers 404 to a user who does not teach (so a teacher page's existence does not leak).
After logging in the browser comes back with a GET, so a form posted while signed out comes back to the
page it belongs to, never to its action; an htmx request of a learner's or a student's page is sent to the
login page as a whole page. Which page a POST comes back to depends on the role:

- learner (self-study, review, progress, the profile): the page the htmx request was made from, else the
  lesson's player (`slug`), else the review queue (`item_id`), else the request's own path;
- student (classes and assignments): the assignment's page (`assignment_id`), else the student's classes;
- teacher: the class's page (`classroom_id`), else the assignment's results (`assignment_id`), else the
  teacher's dashboard.

Pages of one class or assignment (`of_class=True`) leave the teacher check to the selector that loads the
class with its teachers (its None is the view's 404), and tell the navigation with `teaching`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, Literal, TypeVar, cast

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from lessons.web.context_processors import REQUEST_CACHE_ATTR, request_is_teacher

Role = Literal["learner", "student", "teacher"]
View = Callable[..., HttpResponse]
Found = TypeVar("Found")


def _learner_page(request: HttpRequest, kwargs: Mapping[str, Any]) -> str:
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.current_url_abs_path:
        return str(htmx.current_url_abs_path)
    if "slug" in kwargs:
        return reverse("lessons:play", args=[kwargs["slug"]])
    if "item_id" in kwargs:
        return reverse("lessons:review")
    return request.get_full_path()


def _student_page(request: HttpRequest, kwargs: Mapping[str, Any]) -> str:
    if "assignment_id" in kwargs:
        return reverse("lessons:assignment_home", args=[kwargs["assignment_id"]])
    return reverse("lessons:my_classes")


def _teacher_page(request: HttpRequest, kwargs: Mapping[str, Any]) -> str:
    if "classroom_id" in kwargs:
        return reverse("lessons:classroom_detail", args=[kwargs["classroom_id"]])
    if "assignment_id" in kwargs:
        return reverse("lessons:assignment_results", args=[kwargs["assignment_id"]])
    return reverse("lessons:teacher_dashboard")


COME_BACK_TO: dict[Role, Callable[[HttpRequest, Mapping[str, Any]], str]] = {
    "learner": _learner_page,
    "student": _student_page,
    "teacher": _teacher_page,
}
WHOLE_PAGE_FOR_HTMX: frozenset[Role] = frozenset({"learner", "student"})


def to_login(request: HttpRequest, role: Role, kwargs: Mapping[str, Any]) -> HttpResponse:
    """The login page, coming back to the page the request belongs to."""
    back = (
        request.get_full_path() if request.method in ("GET", "HEAD") else COME_BACK_TO[role](request, kwargs)
    )
    login = redirect_to_login(back)
    if role in WHOLE_PAGE_FOR_HTMX and getattr(request, "htmx", None):
        return HttpResponseClientRedirect(login.url)
    return login


def role_required(role: Role, *, of_class: bool = False) -> Callable[[View], View]:
    """Only signed-in users (a visitor is sent to log in), and for "teacher" only teachers (404 for anyone
    else), unless `of_class`: then the page's own lookup of the class decides."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return to_login(request, role, kwargs)
            if role == "teacher" and not of_class and not request_is_teacher(request):
                raise Http404(_("No such page."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def signed_in_user(request: HttpRequest) -> User:
    """The user of a view behind `role_required`."""
    return cast(User, request.user)


def teaching(request: HttpRequest, found: Found | None) -> Found:
    """What a teacher-scoped selector found for the signed-in user, else 404. The user teaches the class it
    belongs to: the navigation is told so, sparing its own "is a teacher?" query (a page's query count stays
    fixed)."""
    if found is None:
        raise Http404(_("No such page."))
    setattr(request.user, REQUEST_CACHE_ATTR, True)
    return found
