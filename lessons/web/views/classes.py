"""The teacher's class pages: the dashboard of classes, a class with its roster, join code, co-teachers and
assignments, and the forms that change them.

Only teachers see these pages. A visitor is sent to log in; anyone else — a student, or a teacher of other
classes — gets 404 for a class they do not teach, so a class's existence does not leak. Every change is a
POST (CSRF-checked by the middleware); bad input gets 400 with the form's errors and changes nothing. The
rules live in `lessons.services.classroom`; these views parse, call and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lessons.models import Classroom
from lessons.selectors.classroom import classroom_for_teacher, student_of_class, teacher_classrooms
from lessons.selectors.teaching import classroom_page
from lessons.services import classroom as services
from lessons.services.errors import NotAllowed, ServiceError
from lessons.web.classroom_forms import (
    AssignmentForm,
    ClassroomForm,
    CoteacherForm,
    JoinCodeForm,
    StudentsImportForm,
    add_service_error,
)
from lessons.web.decorators import role_required, signed_in_user, teaching

TEMPLATES = "lessons/teach/"


def _classroom(request: HttpRequest, classroom_id: int) -> Classroom:
    """The class if the signed-in teacher teaches it, else 404."""
    return teaching(request, classroom_for_teacher(signed_in_user(request), classroom_id))


def _detail_url(classroom: Classroom) -> str:
    return reverse("lessons:classroom_detail", args=[classroom.pk])


def _detail(
    request: HttpRequest,
    classroom: Classroom,
    *,
    coteacher_form: CoteacherForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    """The class page; also the answer to a refused change on it, with the problem shown at the top."""
    page = classroom_page(classroom)
    context = {
        "classroom": classroom,
        "roster": page.roster,
        "teachers": page.teachers,
        "assignments": page.assignments,
        "coteacher_form": coteacher_form or CoteacherForm(),
        "problem": problem,
    }
    return render(request, TEMPLATES + "classroom_detail.html", context, status=status)


def _refuse_if_unchangeable(request: HttpRequest, classroom: Classroom) -> HttpResponse | None:
    """A change the service would refuse (an archived class is read-only: 409) is refused before its form
    is read or shown, and the class page says why."""
    try:
        services.classroom_check_changeable(classroom=classroom, teacher=signed_in_user(request))
    except ServiceError as error:
        return _detail(request, classroom, problem=error.message, status=error.status)
    return None


@require_safe
@role_required("teacher")
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {
        "classrooms": list(teacher_classrooms(signed_in_user(request))),
        "archived": list(teacher_classrooms(signed_in_user(request), archived=True)),
    }
    return render(request, TEMPLATES + "dashboard.html", context)


@require_http_methods(["GET", "POST"])
@role_required("teacher")
def classroom_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ClassroomForm(request.POST)
        if form.is_valid():
            try:
                classroom = services.classroom_create(
                    teacher=signed_in_user(request), name=form.cleaned_data["name"]
                )
            except ServiceError as error:
                add_service_error(form, error)
            else:
                return redirect(_detail_url(classroom))
        return render(request, TEMPLATES + "classroom_new.html", {"form": form}, status=400)
    return render(request, TEMPLATES + "classroom_new.html", {"form": ClassroomForm()})


@require_safe
@role_required("teacher")
def classroom_detail(request: HttpRequest, classroom_id: int) -> HttpResponse:
    return _detail(request, _classroom(request, classroom_id))


@require_POST
@role_required("teacher")
def join_code(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = _classroom(request, classroom_id)
    if refused := _refuse_if_unchangeable(request, classroom):
        return refused
    form = JoinCodeForm(request.POST)
    if not form.is_valid():
        return _detail(
            request, classroom, problem=_("Choose to make a new code or to switch it off."), status=400
        )
    try:
        if form.cleaned_data["action"] == JoinCodeForm.ROTATE:
            services.classroom_rotate_code(classroom=classroom, teacher=signed_in_user(request))
        else:
            services.classroom_disable_code(classroom=classroom, teacher=signed_in_user(request))
    except ServiceError as error:
        return _detail(request, classroom, problem=error.message, status=error.status)
    return redirect(_detail_url(classroom) + "#join-code")


@require_POST
@role_required("teacher")
def archive(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = _classroom(request, classroom_id)
    services.classroom_archive(classroom=classroom, teacher=signed_in_user(request))
    return redirect("lessons:teacher_dashboard")


@require_POST
@role_required("teacher")
def coteacher_add(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = _classroom(request, classroom_id)
    if refused := _refuse_if_unchangeable(request, classroom):
        return refused
    form = CoteacherForm(request.POST)
    if form.is_valid():
        try:
            services.classroom_add_coteacher(
                classroom=classroom, teacher=signed_in_user(request), username=form.cleaned_data["username"]
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            return redirect(_detail_url(classroom) + "#teachers")
    return _detail(request, classroom, coteacher_form=form, status=400)


@require_http_methods(["GET", "POST"])
@role_required("teacher")
def student_remove(request: HttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    """GET asks; POST takes the student out of the class. Their attempts are kept (see the service)."""
    classroom = _classroom(request, classroom_id)
    if refused := _refuse_if_unchangeable(request, classroom):
        return refused
    if request.method != "POST":
        student = student_of_class(classroom, student_id)
        if student is None:
            raise Http404(_("No such student in this class."))
        context = {"classroom": classroom, "student": student}
        return render(request, TEMPLATES + "student_remove.html", context)
    try:
        removed = services.classroom_remove_student(
            classroom=classroom, teacher=signed_in_user(request), student_id=student_id
        )
    except NotAllowed:
        raise Http404(_("No such student in this class.")) from None
    messages.success(
        request,
        _("%(student)s is no longer in %(classroom)s.")
        % {"student": removed.get_full_name() or removed.username, "classroom": classroom.name},
    )
    return redirect(_detail_url(classroom) + "#students")


@require_http_methods(["GET", "POST"])
@role_required("teacher")
def students_import(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = _classroom(request, classroom_id)
    if refused := _refuse_if_unchangeable(request, classroom):
        return refused
    if request.method != "POST":
        return render(
            request,
            TEMPLATES + "students_import.html",
            {"classroom": classroom, "form": StudentsImportForm()},
        )
    form = StudentsImportForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            created = services.students_bulk_add(
                classroom=classroom, teacher=signed_in_user(request), csv_text=form.csv_text
            )
        except services.BulkAddError as error:
            for message in error.messages():
                form.add_error(form.source_field, message)
        except ServiceError as error:
            add_service_error(form, error)
            status = error.status  # 403 for a teacher not verified yet
        else:
            # The passwords exist only in this response: never stored by a browser or a proxy.
            response = render(
                request, TEMPLATES + "students_created.html", {"classroom": classroom, "students": created}
            )
            add_never_cache_headers(response)
            return response
    return render(
        request, TEMPLATES + "students_import.html", {"classroom": classroom, "form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
@role_required("teacher")
def assignment_new(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = _classroom(request, classroom_id)
    if refused := _refuse_if_unchangeable(request, classroom):
        return refused
    if request.method != "POST":
        form = AssignmentForm(teacher=signed_in_user(request))
        return render(request, TEMPLATES + "assignment_new.html", {"classroom": classroom, "form": form})
    form = AssignmentForm(request.POST, teacher=signed_in_user(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.assignment_create(
                classroom=classroom,
                lesson=data["lesson"],
                by=signed_in_user(request),
                opens_at=data["opens_at"],
                due_at=data["due_at"],
                time_limit_minutes=data["time_limit_minutes"],
                attempts_allowed=data["attempts_allowed"],
                feedback_release=data["feedback_release"],
                late_policy=data["late_policy"],
                shuffle_questions=data["shuffle_questions"],
                shuffle_options=data["shuffle_options"],
                reading_aids=form.reading_aids(),
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            return redirect(_detail_url(classroom) + "#assignments")
    return render(
        request, TEMPLATES + "assignment_new.html", {"classroom": classroom, "form": form}, status=400
    )
