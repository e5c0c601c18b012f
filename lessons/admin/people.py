"""Admin for teachers' standing: a site administrator verifies self-registered teachers (rule 12)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lessons.models import TeacherProfile
from lessons.services.people import teacher_verify


class SuperusersOnlyAdmin(admin.ModelAdmin):
    """An admin only site administrators (superusers) see and use, whatever their model permissions."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


@admin.register(TeacherProfile)
class TeacherProfileAdmin(SuperusersOnlyAdmin):
    """Superusers only: verifying a teacher opens material shared with teachers to them."""

    list_display = ("user", "school", "verified_at", "verified_by")
    list_filter = (("verified_at", admin.EmptyFieldListFilter),)
    list_select_related = ("user", "verified_by")
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email", "school")
    fields = ("user", "school", "verified_at", "verified_by")
    readonly_fields = ("user", "verified_at", "verified_by")
    ordering = ("user__username",)
    actions = ("verify_teachers",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a profile comes with becoming a teacher

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Verify selected teachers"), permissions=["change"])
    def verify_teachers(self, request: HttpRequest, queryset: QuerySet[TeacherProfile]) -> None:
        by = request.user if isinstance(request.user, User) else None
        count = 0
        for profile in queryset.select_related("user"):
            teacher_verify(teacher=profile.user, by=by)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d teacher verified.", "%(count)d teachers verified.", count) % {"count": count},
            messages.SUCCESS,
        )
