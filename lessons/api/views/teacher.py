"""A teacher's side: classes (create, join code, archive), the roster (add by list or CSV file, remove, extra
time), co-teachers, assignments (create with a pinned revision, list, results, extensions) and the
gradebook (JSON and the page's CSV file, byte for byte).

Each mirrors a teacher page of `lessons.web.views.classes`, `.accommodations` and `.gradebook` and calls
the same selectors and services (`lessons.services.classroom`, `.accommodations`): who may change what, and
when (an archived class is read-only: 409), is decided there. A class or assignment the user does not teach
is a 404, as on the pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import Http404, HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import renderers
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from lessons.models import READING_AIDS, Assignment, Classroom
from lessons.selectors import assignable_lessons
from lessons.selectors import classroom as results
from lessons.selectors import teaching as teaching_selectors
from lessons.services import accommodations as accommodation_services
from lessons.services import classroom as services
from lessons.services.classroom import is_teacher
from lessons.services.errors import InvalidInput
from lessons.web.classroom_forms import StudentsImportForm

from .. import serializers as s
from ..base import ApiView, documented
from ..lists import (
    AssignmentFilter,
    ClassroomFilter,
    Pages,
    filter_parameters,
    filtered,
    page_example,
    page_serializer,
)


def teacher_of(request: Request) -> User:
    """The signed-in user if they teach, else 404 (as `role_required("teacher")` on the pages)."""
    if not is_teacher(request.user):
        raise Http404
    return request.user


def taught_class(request: Request, classroom_id: int) -> Classroom:
    classroom = results.classroom_for_teacher(teacher_of(request), classroom_id)
    if classroom is None:
        raise Http404
    return classroom


def taught_assignment(request: Request, assignment_id: int) -> Assignment:
    assignment = results.assignment_for_teacher(teacher_of(request), assignment_id)
    if assignment is None:
        raise Http404
    return assignment


def student_data(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
    }


def class_assignment_data(assignment: Assignment) -> dict[str, Any]:
    return {
        "id": assignment.pk,
        "lesson": assignment.lesson.slug,
        "title": assignment.lesson.title,
        "opens_at": assignment.opens_at,
        "due_at": assignment.due_at,
        "feedback_release": assignment.feedback_release,
    }


def teacher_assignment_data(assignment: Assignment) -> dict[str, Any]:
    """An assignment with its rules, as its teacher sees them (needs its lesson and revision loaded)."""
    return {
        **class_assignment_data(assignment),
        "classroom": assignment.classroom_id,
        "revision": assignment.revision.number,
        "time_limit_minutes": assignment.time_limit_minutes,
        "attempts_allowed": assignment.attempts_allowed,
        "late_policy": assignment.late_policy,
        "shuffle_questions": assignment.shuffle_questions,
        "shuffle_options": assignment.shuffle_options,
        "reading_aids": {aid: getattr(assignment, f"aid_{aid}") or None for aid in READING_AIDS},
        "released_at": assignment.released_at,
    }


def classroom_detail(classroom: Classroom) -> dict[str, Any]:
    page = teaching_selectors.classroom_page(classroom)
    return {
        "id": classroom.pk,
        "name": classroom.name,
        "join_code": classroom.join_code,
        "archived_at": classroom.archived_at,
        "teachers": [{"id": person.pk, "username": person.username} for person in page.teachers],
        "students": [
            {
                **student_data(enrollment.student),
                "time_multiplier": enrollment.time_multiplier,
                "extensions": enrollment.extension_count,  # type: ignore[attr-defined]
            }
            for enrollment in page.roster
        ],
        "assignments": [class_assignment_data(assignment) for assignment in page.assignments],
    }


STUDENT = {"id": 9, "username": "amina.haddad", "first_name": "Amina", "last_name": "Haddad"}
CLASS_ASSIGNMENT = {
    "id": 4,
    "lesson": "venezuela-military-aid",
    "title": "Venezuela asks Russia, China and Iran for military help",
    "opens_at": "2026-01-05T08:00:00Z",
    "due_at": "2026-01-12T08:00:00Z",
    "feedback_release": "after_submit",
}
CLASSROOM = {
    "id": 2,
    "name": "Civics 9B",
    "join_code": "K7QHP2MX",
    "archived_at": None,
    "teachers": [{"id": 3, "username": "ms.lopez"}],
    "students": [{**STUDENT, "time_multiplier": "1.00", "extensions": 0}],
    "assignments": [CLASS_ASSIGNMENT],
}
CLASS_CARD = {"id": 2, "name": "Civics 9B", "join_code": "K7QHP2MX", "students": 24, "assignments": 3}
TEACHER_ASSIGNMENT = {
    **CLASS_ASSIGNMENT,
    "classroom": 2,
    "revision": 1,
    "time_limit_minutes": 30,
    "attempts_allowed": 1,
    "late_policy": "refuse",
    "shuffle_questions": False,
    "shuffle_options": False,
    "reading_aids": {
        "sourcing_note": None,
        "provenance": None,
        "actor_cards": "after_dependent",
        "treaty_cards": None,
    },
    "released_at": None,
}
ASSIGNMENT_INPUT = {
    "lesson": "venezuela-military-aid",
    "opens_at": "2026-01-05T08:00:00Z",
    "due_at": "2026-01-12T08:00:00Z",
    "time_limit_minutes": 30,
    "attempts_allowed": 1,
    "feedback_release": "after_submit",
    "late_policy": "refuse",
    "reading_aids": {"actor_cards": "after_dependent"},
}

ClassroomPage = page_serializer(s.TeacherClassroomSerializer, "TeacherClassroomPage")
AssignmentPage = page_serializer(s.TeacherAssignmentSerializer, "TeacherAssignmentPage")
ARCHIVED = OpenApiParameter("archived", OpenApiTypes.BOOL, description="true: the archived classes instead.")


class TeacherClassesView(ApiView):
    @documented(
        summary="My classes (as a teacher or co-teacher), with their join codes and sizes",
        response=ClassroomPage,
        example=page_example(CLASS_CARD),
        errors=[400, 401, 404, 429],
        parameters=[ARCHIVED, *filter_parameters(ClassroomFilter)],
        tags=["teaching"],
        operation_id="teacher_classes_list",
    )
    def get(self, request: Request, version: str) -> Response:
        archived = request.query_params.get("archived", "").lower() in {"true", "1"}
        found = filtered(
            ClassroomFilter, request, results.teacher_classrooms(teacher_of(request), archived=archived)
        )
        paginator = Pages()
        page = paginator.paginate_queryset(found, request, view=self) or []
        data = [
            {
                "id": classroom.pk,
                "name": classroom.name,
                "join_code": classroom.join_code,
                "students": classroom.student_count,
                "assignments": classroom.assignment_count,
            }
            for classroom in page
        ]
        return paginator.get_paginated_response(s.TeacherClassroomSerializer(data, many=True).data)

    @documented(
        summary="Create a class (it gets a join code)",
        request=s.ClassroomInputSerializer,
        request_example={"name": "Civics 9B"},
        response=s.ClassroomDetailSerializer,
        example={**CLASSROOM, "students": [], "assignments": []},
        status=201,
        errors=[400, 401, 403, 404, 413, 429],
        tags=["teaching"],
    )
    def post(self, request: Request, version: str) -> Response:
        body = s.ClassroomInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        classroom = services.classroom_create(teacher=teacher_of(request), name=body.validated_data["name"])
        return Response(s.ClassroomDetailSerializer(classroom_detail(classroom)).data, status=201)


class ClassroomView(ApiView):
    @documented(
        summary="A class: its join code, teachers, roster and assignments",
        response=s.ClassroomDetailSerializer,
        example=CLASSROOM,
        errors=[401, 404, 429],
        tags=["teaching"],
    )
    def get(self, request: Request, version: str, classroom_id: int) -> Response:
        return Response(
            s.ClassroomDetailSerializer(classroom_detail(taught_class(request, classroom_id))).data
        )


class JoinCodeView(ApiView):
    @documented(
        summary="Make a new join code (the old one stops working), or switch joining by code off",
        request=s.JoinCodeInputSerializer,
        request_example={"action": "rotate"},
        response=s.ClassroomDetailSerializer,
        example=CLASSROOM,
        errors=[400, 401, 403, 404, 409, 413, 429],
        tags=["teaching"],
    )
    def post(self, request: Request, version: str, classroom_id: int) -> Response:
        classroom = taught_class(request, classroom_id)
        body = s.JoinCodeInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if body.validated_data["action"] == "rotate":
            services.classroom_rotate_code(classroom=classroom, teacher=request.user)
        else:
            services.classroom_disable_code(classroom=classroom, teacher=request.user)
        return Response(s.ClassroomDetailSerializer(classroom_detail(classroom)).data)


class ArchiveView(ApiView):
    @documented(
        summary="Archive a class: read-only from then on, its join code switched off (again is harmless)",
        response=s.ClassroomDetailSerializer,
        example={**CLASSROOM, "join_code": None, "archived_at": "2026-06-30T15:00:00Z"},
        errors=[401, 403, 404, 429],
        tags=["teaching"],
    )
    def post(self, request: Request, version: str, classroom_id: int) -> Response:
        classroom = taught_class(request, classroom_id)
        services.classroom_archive(classroom=classroom, teacher=request.user)
        return Response(s.ClassroomDetailSerializer(classroom_detail(classroom)).data)


class CoteachersView(ApiView):
    @documented(
        summary="Let another teacher (by username) teach the class too",
        request=s.UsernameInputSerializer,
        request_example={"username": "mr.mendes"},
        response=s.TeacherSerializer,
        example={"id": 5, "username": "mr.mendes"},
        status=201,
        errors=[400, 401, 403, 404, 409, 413, 429],
        tags=["teaching"],
    )
    def post(self, request: Request, version: str, classroom_id: int) -> Response:
        classroom = taught_class(request, classroom_id)
        body = s.UsernameInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        colleague = services.classroom_add_coteacher(
            classroom=classroom, teacher=request.user, username=body.validated_data["username"]
        )
        return Response({"id": colleague.pk, "username": colleague.username}, status=201)


class CoteacherView(ApiView):
    @documented(
        summary="Stop a teacher teaching the class (a class keeps at least one)",
        response=None,
        example=None,
        status=204,
        errors=[400, 401, 403, 404, 409, 429],
        tags=["teaching"],
    )
    def delete(self, request: Request, version: str, classroom_id: int, teacher_id: int) -> Response:
        classroom = taught_class(request, classroom_id)
        services.classroom_remove_coteacher(
            classroom=classroom, teacher=request.user, colleague_id=teacher_id
        )
        return Response(status=204)


class RosterView(ApiView):
    parser_classes = [JSONParser, MultiPartParser]

    @documented(
        summary="Add students: accounts made and enrolled from a list (one `first name,last name` a line) or "
        "a CSV file; all or nothing. Each password is in this answer only.",
        request={
            "application/json": s.RosterInputSerializer,
            "multipart/form-data": s.RosterUploadSerializer,
        },
        request_example={"names": "Amina,Haddad\nLuis,Ortega"},
        response=s.NewStudentSerializer(many=True),
        example=[{"username": "amina.haddad", "name": "Amina Haddad", "password": "plum-tiger-42"}],
        status=201,
        errors=[400, 401, 403, 404, 409, 413, 429],
        tags=["teaching"],
    )
    def post(self, request: Request, version: str, classroom_id: int) -> Response:
        classroom = taught_class(request, classroom_id)
        # The page's form: the same checks of the list or the file (size, UTF-8, one of the two).
        names = request.data.get("names") if hasattr(request.data, "get") else None
        form = StudentsImportForm(
            {"names": names if isinstance(names, str) else ""},
            MultiValueDict({"csv_file": request.FILES.getlist("csv_file")[:1]}),
        )
        if not form.is_valid():
            field, messages = next(iter(form.errors.items()))
            raise InvalidInput(str(messages[0]), field="names" if field == "__all__" else field)
        try:
            created = services.students_bulk_add(
                classroom=classroom, teacher=request.user, csv_text=form.csv_text
            )
        except services.BulkAddError as error:
            raise InvalidInput(" ".join(error.messages()), field=form.source_field) from None
        data = [{"username": new.username, "name": new.name, "password": new.password} for new in created]
        return Response(s.NewStudentSerializer(data, many=True).data, status=201)


class StudentView(ApiView):
    @documented(
        summary="Take a student out of the class (their attempts are kept, counted nowhere meanwhile)",
        response=None,
        example=None,
        status=204,
        errors=[401, 403, 404, 409, 429],
        tags=["teaching"],
    )
    def delete(self, request: Request, version: str, classroom_id: int, student_id: int) -> Response:
        classroom = taught_class(request, classroom_id)
        services.classroom_remove_student(classroom=classroom, teacher=request.user, student_id=student_id)
        return Response(status=204)


class ExtraTimeView(ApiView):
    @documented(
        summary="A student's standing extra time in the class (time limits multiplied; 1 for none)",
        request=s.ExtraTimeInputSerializer,
        request_example={"time_multiplier": "1.5"},
        response=s.ExtraTimeInputSerializer,
        example={"time_multiplier": "1.50"},
        errors=[400, 401, 403, 404, 409, 413, 429],
        tags=["teaching"],
    )
    def put(self, request: Request, version: str, classroom_id: int, student_id: int) -> Response:
        classroom = taught_class(request, classroom_id)
        body = s.ExtraTimeInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        enrollment = accommodation_services.student_set_extra_time(
            classroom=classroom,
            teacher=request.user,
            student_id=student_id,
            time_multiplier=body.validated_data["time_multiplier"],
        )
        return Response(s.ExtraTimeInputSerializer({"time_multiplier": enrollment.time_multiplier}).data)


class ClassAssignmentsView(ApiView):
    @documented(
        summary="The class's assignments, with their rules",
        response=AssignmentPage,
        example=page_example(TEACHER_ASSIGNMENT),
        errors=[400, 401, 404, 429],
        parameters=filter_parameters(AssignmentFilter),
        tags=["teaching"],
        operation_id="class_assignments_list",
    )
    def get(self, request: Request, version: str, classroom_id: int) -> Response:
        classroom = taught_class(request, classroom_id)
        found = filtered(AssignmentFilter, request, teaching_selectors.class_assignments(classroom))
        paginator = Pages()
        page = paginator.paginate_queryset(found, request, view=self) or []
        data = [teacher_assignment_data(assignment) for assignment in page]
        return paginator.get_paginated_response(s.TeacherAssignmentSerializer(data, many=True).data)

    @documented(
        summary="Assign a published lesson to the class: its current revision is pinned (later edits of the "
        "lesson do not reach it until a regrade)",
        request=s.AssignmentInputSerializer,
        request_example=ASSIGNMENT_INPUT,
        response=s.TeacherAssignmentSerializer,
        example=TEACHER_ASSIGNMENT,
        status=201,
        errors=[400, 401, 403, 404, 409, 413, 429],
        tags=["teaching"],
    )
    def post(self, request: Request, version: str, classroom_id: int) -> Response:
        classroom = taught_class(request, classroom_id)
        body = s.AssignmentInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        lesson = assignable_lessons(request.user).filter(slug=data["lesson"]).first()
        if lesson is None:
            raise InvalidInput(_("This lesson is not shared with you."), field="lesson")
        created = services.assignment_create(
            classroom=classroom,
            lesson=lesson,
            by=request.user,
            opens_at=data["opens_at"],
            due_at=data["due_at"],
            time_limit_minutes=data.get("time_limit_minutes"),
            attempts_allowed=data["attempts_allowed"],
            feedback_release=data["feedback_release"],
            late_policy=data["late_policy"],
            shuffle_questions=data["shuffle_questions"],
            shuffle_options=data["shuffle_options"],
            reading_aids={aid: (data.get("reading_aids") or {}).get(aid) for aid in READING_AIDS},
        )
        assignment = taught_assignment(request, created.pk)
        return Response(s.TeacherAssignmentSerializer(teacher_assignment_data(assignment)).data, status=201)


class ExtensionView(ApiView):
    @documented(
        summary="Give a student of the class their own due date for the assignment, extra minutes, or both",
        request=s.ExtensionInputSerializer,
        request_example={"due_at": "2026-01-14T08:00:00Z", "extra_minutes": 15},
        response=s.ExtensionSerializer,
        example={"assignment": 4, "student": 9, "due_at": "2026-01-14T08:00:00Z", "extra_minutes": 15},
        errors=[400, 401, 403, 404, 409, 413, 429],
        tags=["teaching"],
    )
    def put(self, request: Request, version: str, assignment_id: int, student_id: int) -> Response:
        assignment = taught_assignment(request, assignment_id)
        body = s.ExtensionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        extension = accommodation_services.extension_grant(
            assignment=assignment,
            teacher=request.user,
            student_id=student_id,
            due_at=body.validated_data.get("due_at"),
            extra_minutes=body.validated_data["extra_minutes"],
        )
        data = {
            "assignment": assignment.pk,
            "student": student_id,
            "due_at": extension.due_at,
            "extra_minutes": extension.extra_minutes,
        }
        return Response(s.ExtensionSerializer(data).data)

    @documented(
        summary="Take a student's extension of the assignment away (whether there was one)",
        response=None,
        example=None,
        status=204,
        errors=[401, 403, 404, 409, 429],
        tags=["teaching"],
    )
    def delete(self, request: Request, version: str, assignment_id: int, student_id: int) -> Response:
        assignment = taught_assignment(request, assignment_id)
        accommodation_services.extension_withdraw(
            assignment=assignment, teacher=request.user, student_id=student_id
        )
        return Response(status=204)


class GradebookView(ApiView):
    @documented(
        summary="A class's roster, assignments and gradebook (the best submitted score of each)",
        response=s.GradebookSerializer,
        example={
            "classroom": {"id": 2, "name": "Civics 9B"},
            "students": [STUDENT],
            "assignments": [CLASS_ASSIGNMENT],
            "cells": [
                {
                    "student": 9,
                    "assignment": 4,
                    "status": "submitted",
                    "earned": "30.00",
                    "possible": "44.00",
                    "percent": 68,
                    "attempts": 1,
                }
            ],
        },
        errors=[401, 404, 429],
        tags=["teaching"],
    )
    def get(self, request: Request, version: str, classroom_id: int) -> Response:
        classroom = taught_class(request, classroom_id)
        book = results.gradebook(classroom)
        data = {
            "classroom": {"id": classroom.pk, "name": classroom.name},
            "students": [student_data(u) for u in book.students],
            "assignments": [class_assignment_data(a) for a in book.assignments],
            "cells": [
                {
                    "student": student.pk,
                    "assignment": assignment.pk,
                    "status": cell.status,
                    "earned": cell.earned,
                    "possible": cell.possible,
                    "percent": cell.percent,
                    "attempts": cell.attempts,
                }
                for student, cells in book.rows()
                for assignment, cell in zip(book.assignments, cells, strict=True)
            ],
        }
        return Response(s.GradebookSerializer(data).data)


class CsvRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return data if isinstance(data, bytes) else b""


class GradebookCsvView(ApiView):
    renderer_classes = [renderers.JSONRenderer, CsvRenderer]

    @documented(
        summary="The gradebook as the page's CSV file (UTF-8 with a byte-order mark, safe in a spreadsheet)",
        response=OpenApiTypes.BINARY,
        example="\ufeffUsername,First name,Last name,…\r\namina.haddad,Amina,Haddad,…\r\n",
        media_type="text/csv",
        errors=[401, 404, 429],
        tags=["teaching"],
    )
    def get(self, request: Request, version: str, classroom_id: int) -> HttpResponse:
        export = results.gradebook_csv(taught_class(request, classroom_id))
        response = HttpResponse(export.body, content_type=results.CSV_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response
