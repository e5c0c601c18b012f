"""A teacher's side, read only: my classes, and a class's roster, assignments and gradebook.

Each mirrors a teacher page and calls its selector (`lessons.selectors.classroom`); a class the user does not
teach (or co-teach) is a 404, as on the pages.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import Http404
from rest_framework.request import Request
from rest_framework.response import Response

from lessons.selectors import classroom as results
from lessons.services.classroom import is_teacher

from .. import serializers as s
from ..base import ApiView, documented


def _teacher(request: Request) -> User:
    """The signed-in user if they teach, else 404 (as `role_required("teacher")` on the pages)."""
    if not is_teacher(request.user):
        raise Http404
    return request.user


class TeacherClassesView(ApiView):
    @documented(
        summary="My classes (as a teacher or co-teacher), with their join codes and sizes",
        response=s.TeacherClassroomSerializer(many=True),
        example=[{"id": 2, "name": "Civics 9B", "join_code": "K7QHP2MX", "students": 24, "assignments": 3}],
        errors=[401, 404, 429],
        tags=["teaching"],
        operation_id="teacher_classes_list",
    )
    def get(self, request: Request, version: str) -> Response:
        data = [
            {
                "id": classroom.pk,
                "name": classroom.name,
                "join_code": classroom.join_code,
                "students": classroom.student_count,  # type: ignore[attr-defined]
                "assignments": classroom.assignment_count,  # type: ignore[attr-defined]
            }
            for classroom in results.teacher_classrooms(_teacher(request))
        ]
        return Response(s.TeacherClassroomSerializer(data, many=True).data)


class GradebookView(ApiView):
    @documented(
        summary="A class's roster, assignments and gradebook (the best submitted score of each)",
        response=s.GradebookSerializer,
        example={
            "classroom": {"id": 2, "name": "Civics 9B"},
            "students": [{"id": 9, "username": "amina", "first_name": "Amina", "last_name": "Haddad"}],
            "assignments": [
                {
                    "id": 4,
                    "lesson": "venezuela-military-aid",
                    "title": "Venezuela asks Russia, China and Iran for military help",
                    "opens_at": "2026-01-05T08:00:00Z",
                    "due_at": "2026-01-12T08:00:00Z",
                    "feedback_release": "after_submit",
                }
            ],
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
        classroom = results.classroom_for_teacher(_teacher(request), classroom_id)
        if classroom is None:
            raise Http404
        book = results.gradebook(classroom)
        data = {
            "classroom": {"id": classroom.pk, "name": classroom.name},
            "students": [
                {"id": u.pk, "username": u.username, "first_name": u.first_name, "last_name": u.last_name}
                for u in book.students
            ],
            "assignments": [
                {
                    "id": a.pk,
                    "lesson": a.lesson.slug,
                    "title": a.lesson.title,
                    "opens_at": a.opens_at,
                    "due_at": a.due_at,
                    "feedback_release": a.feedback_release,
                }
                for a in book.assignments
            ],
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
