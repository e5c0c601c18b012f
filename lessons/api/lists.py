"""Lists of the API: page-number pagination (`count`, `next`, `previous`, `results`, 50 a page), and filtering
and ordering with django-filter, each list's filters declared once here and read into its schema.

A filter narrows what a selector already scoped to the caller (their classes, their class's assignments);
it never widens it. A bad value (an unknown ordering, a date that is not one) is a 400 with its field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import django_filters as filters
from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from lessons.models import Assignment, Classroom, FeedbackRelease, Lesson, LessonStatus, Response

M = TypeVar("M", bound=Model)

PAGE_SIZE = 50


class Pages(PageNumberPagination):
    page_size = PAGE_SIZE


def page_serializer(item: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """The shape of one page of `item`s, as the schema names it (`name`)."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.CharField(allow_null=True),
            "previous": serializers.CharField(allow_null=True),
            "results": item(many=True),
        },
    )


def page_example(item: Any) -> dict[str, Any]:
    return {"count": 1, "next": None, "previous": None, "results": [item]}


def filtered(filterset: type[filters.FilterSet], request: Request, queryset: QuerySet[M]) -> QuerySet[M]:
    """`queryset` narrowed and ordered by the request's query parameters, or a 400 naming the bad one."""
    found = filterset(data=request.query_params, queryset=queryset, request=request)
    if not found.is_valid():
        raise ValidationError(found.errors)
    return found.qs


PAGE_PARAMETER = OpenApiParameter("page", OpenApiTypes.INT, description="The page, from 1 (50 a page).")


def filter_parameters(filterset: type[filters.FilterSet], *, paged: bool = True) -> list[OpenApiParameter]:
    """The query parameters of a list, for its schema: each filter of `filterset`, and `page`."""
    parameters = []
    for name, item in filterset.base_filters.items():
        kind: Any = OpenApiTypes.STR
        enum = None
        if isinstance(item, filters.NumberFilter):
            kind = OpenApiTypes.INT
        elif isinstance(item, filters.BooleanFilter):
            kind = OpenApiTypes.BOOL
        elif isinstance(item, filters.IsoDateTimeFilter):
            kind = OpenApiTypes.DATETIME
        elif isinstance(item, filters.OrderingFilter | filters.ChoiceFilter):
            enum = [value for value, _label in item.extra["choices"]]
        parameters.append(
            OpenApiParameter(name, kind, enum=enum, description=str(item.label or ""), required=False)
        )
    return [*parameters, PAGE_PARAMETER] if paged else parameters


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date and time, turned to UTC: PostgreSQL refuses an offset beyond ±15:59 (-20:00 is
    valid ISO 8601), which would otherwise reach the query."""

    def to_python(self, value: Any) -> dt.datetime | None:
        parsed = super().to_python(value)
        if parsed is None or parsed.tzinfo is None:
            return parsed
        try:
            return parsed.astimezone(dt.UTC)
        except OverflowError:
            raise forms.ValidationError(_("Enter a date and time within the years 1 to 9999.")) from None


class UtcIsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class CatalogFilter(filters.FilterSet):
    """The catalogue's order (its search and filters are the catalogue page's: `q`, `focus`, `level`)."""

    ordering = filters.OrderingFilter(
        fields=(("title", "title"), ("estimated_minutes", "minutes"), ("level", "level")),
        label="Order by title, minutes or level (a leading - reverses).",
    )

    class Meta:
        model = Lesson
        fields: list[str] = []


class ClassroomFilter(filters.FilterSet):
    name = filters.CharFilter(lookup_expr="icontains", max_length=120, label="Names containing this text.")
    ordering = filters.OrderingFilter(
        fields=(("name", "name"), ("student_count", "students"), ("assignment_count", "assignments")),
        label="Order by name, students or assignments (a leading - reverses).",
    )

    class Meta:
        model = Classroom
        fields: list[str] = []


class AssignmentFilter(filters.FilterSet):
    lesson = filters.CharFilter(field_name="lesson__slug", max_length=100, label="The lesson's slug.")
    feedback_release = filters.ChoiceFilter(choices=FeedbackRelease.choices, label="Its release policy.")
    due_after = UtcIsoDateTimeFilter(field_name="due_at", lookup_expr="gte", label="Due at or after.")
    due_before = UtcIsoDateTimeFilter(field_name="due_at", lookup_expr="lt", label="Due before.")
    ordering = filters.OrderingFilter(
        fields=(("due_at", "due_at"), ("opens_at", "opens_at"), ("pk", "id")),
        label="Order by due_at, opens_at or id (a leading - reverses).",
    )

    class Meta:
        model = Assignment
        fields: list[str] = []


class GradingFilter(filters.FilterSet):
    pending = filters.TypedChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
        field_name="earned",
        lookup_expr="isnull",
        label="true: waiting for a grade; false: graded.",
    )
    student = filters.NumberFilter(
        field_name="attempt__learner_id", label="One student's answers (their id)."
    )
    question = filters.CharFilter(field_name="question_key", max_length=50, label="One question's answers.")
    ordering = filters.OrderingFilter(
        fields=(("first_saved_at", "saved_at"), ("graded_at", "graded_at")),
        label="Order by saved_at or graded_at (a leading - reverses).",
    )

    class Meta:
        model = Response
        fields: list[str] = []


class AuthoredLessonFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=LessonStatus.choices, label="draft or published.")
    archived = filters.TypedChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value != "true",
        field_name="archived_at",
        lookup_expr="isnull",
        label="true: the archived lessons only; false: the others only.",
    )

    class Meta:
        model = Lesson
        fields: list[str] = []
