"""A teacher's page of one student's accommodations in a class: standing extra time (time limits
multiplied) and, per assignment, an extension (the student's own due date, extra minutes). The rules and
their effect on attempts in progress are `lessons.services.accommodations`'; these views parse, call and
render. A class the teacher does not teach, or a student not in it, is a 404; an archived class shows the
accommodations but refuses changes (409)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lessons.models import Classroom
from lessons.selectors.accommodations import StudentAccommodations, student_accommodations
from lessons.selectors.classroom import assignment_for_teacher
from lessons.services import accommodations as services
from lessons.services.errors import NotAllowed, ServiceError
from lessons.web.classroom_forms import (
    DATETIME_LOCAL_FORMAT,
    ExtensionForm,
    ExtraTimeForm,
    add_service_error,
)
from lessons.web.decorators import role_required, signed_in_user
from lessons.web.views.classes import TEMPLATES, _classroom, _refuse_if_unchangeable


def _page_url(classroom_id: int, student_id: int) -> str:
    return reverse("lessons:student_accommodations", args=[classroom_id, student_id])


def _found(classroom: Classroom, student_id: int) -> StudentAccommodations:
    found = student_accommodations(classroom.pk, student_id)
    if found is None:
        raise Http404(_("No such student in this class."))
    return found


def _extension_form(row_assignment_id: int, found: StudentAccommodations) -> ExtensionForm:
    row = next(row for row in found.assignments if row.assignment.pk == row_assignment_id)
    initial: dict[str, object] = {}
    if row.extension is not None:
        if row.extension.due_at is not None:
            initial["due_at"] = timezone.localtime(row.extension.due_at).strftime(DATETIME_LOCAL_FORMAT)
        initial["extra_minutes"] = row.extension.extra_minutes or None
    return ExtensionForm(prefix=f"a{row_assignment_id}", initial=initial)


def _render(
    request: HttpRequest,
    classroom: Classroom,
    found: StudentAccommodations,
    *,
    extra_time_form: ExtraTimeForm | None = None,
    failed: tuple[int, ExtensionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = []
    for row in found.assignments:
        form: forms.Form
        if failed is not None and failed[0] == row.assignment.pk:
            form = failed[1]
        else:
            form = _extension_form(row.assignment.pk, found)
        rows.append((row, form))
    context = {
        "classroom": classroom,
        "student": found.enrollment.student,
        "enrollment": found.enrollment,
        "rows": rows,
        "refused": status >= 400,
        "extra_time_form": extra_time_form
        or ExtraTimeForm(initial={"time_multiplier": found.enrollment.time_multiplier.normalize()}),
    }
    return render(request, TEMPLATES + "student_accommodations.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@role_required("teacher")
def student_page(request: HttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    """GET: the student's accommodations with the forms that change them. POST: their standing extra
    time."""
    classroom = _classroom(request, classroom_id)
    found = _found(classroom, student_id)
    if request.method != "POST":
        return _render(request, classroom, found)
    if refused := _refuse_if_unchangeable(request, classroom):
        return refused
    form = ExtraTimeForm(request.POST)
    if form.is_valid():
        try:
            services.student_set_extra_time(
                classroom=classroom,
                teacher=signed_in_user(request),
                student_id=student_id,
                time_multiplier=form.cleaned_data["time_multiplier"],
            )
        except NotAllowed:
            raise Http404(_("No such student in this class.")) from None
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The extra time is saved."))
            return redirect(_page_url(classroom.pk, student_id))
    return _render(request, classroom, found, extra_time_form=form, status=400)


@require_POST
@role_required("teacher")
def extension(request: HttpRequest, classroom_id: int, student_id: int, assignment_id: int) -> HttpResponse:
    """Grant, change or remove the student's extension of one assignment of the class."""
    user = signed_in_user(request)
    classroom = _classroom(request, classroom_id)
    found = _found(classroom, student_id)
    assignment = assignment_for_teacher(user, assignment_id)
    if assignment is None or assignment.classroom_id != classroom.pk:
        raise Http404(_("No such assignment in this class."))
    if refused := _refuse_if_unchangeable(request, classroom):
        return refused
    form = ExtensionForm(request.POST, prefix=f"a{assignment.pk}")
    try:
        if request.POST.get(f"{form.prefix}-action") == ExtensionForm.WITHDRAW:
            services.extension_withdraw(assignment=assignment, teacher=user, student_id=student_id)
            messages.success(request, _("The extension is removed."))
            return redirect(_page_url(classroom.pk, student_id) + f"#assignment-{assignment.pk}")
        if form.is_valid():
            services.extension_grant(
                assignment=assignment,
                teacher=user,
                student_id=student_id,
                due_at=form.cleaned_data["due_at"],
                extra_minutes=form.cleaned_data["extra_minutes"],
            )
            messages.success(request, _("The extension is saved."))
            return redirect(_page_url(classroom.pk, student_id) + f"#assignment-{assignment.pk}")
    except NotAllowed:
        raise Http404(_("No such student in this class.")) from None
    except ServiceError as error:
        add_service_error(form, error)
    return _render(request, classroom, found, failed=(assignment.pk, form), status=400)
