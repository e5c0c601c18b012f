"""The studio's pages for other tools' formats: importing a file of questions into a new draft, and
downloading a lesson as GIFT, Moodle XML or a QTI package, each with its report of what changed."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lessons.services.errors import ServiceError
from lessons.services.interop import EXPORT_FORMATS, FORMAT_NAMES, lesson_export_as, questions_import
from lessons.web.classroom_forms import add_service_error
from lessons.web.decorators import role_required, signed_in_user
from lessons.web.interop_forms import QuestionFileForm

from .studio import authored


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def import_questions(request: HttpRequest) -> HttpResponse:
    """A new private draft of the questions of a GIFT, Moodle XML or QTI file; the report of what was left
    out or changed is shown on the draft's page."""
    if request.method != "POST":
        return render(request, "lessons/studio/import_questions.html", {"form": QuestionFileForm()})
    form = QuestionFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            imported = questions_import(
                data=form.cleaned_data["file"],
                file_format=form.cleaned_data["file_format"],
                by=signed_in_user(request),
                filename=form.filename,
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            report = imported.report
            messages.success(
                request,
                _("Imported %(carried)d questions into this draft; %(skipped)d left out.")
                % {"carried": report.carried, "skipped": report.skipped},
            )
            for entry in report.entries:
                line = entry.line()
                (messages.warning if entry.skipped else messages.info)(request, line)
            return redirect(reverse("studio:lesson", args=[imported.lesson.slug]))
    return render(request, "lessons/studio/import_questions.html", {"form": form}, status=400)


@role_required("teacher")
@require_http_methods(["GET", "HEAD"])
def export(request: HttpRequest, slug: str) -> HttpResponse:
    """The lesson in each format, with what each simplifies."""
    lesson = authored(request, slug)
    user = signed_in_user(request)
    exports = []
    for file_format in EXPORT_FORMATS:
        exported = lesson_export_as(lesson=lesson, file_format=file_format, by=user)
        exports.append(
            {"format": file_format, "name": FORMAT_NAMES[file_format], "lines": exported.report.lines()}
        )
    return render(request, "lessons/studio/export.html", {"lesson": lesson, "exports": exports})


@role_required("teacher")
@require_http_methods(["GET", "HEAD"])
def export_download(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    lesson = authored(request, slug)
    if file_format not in EXPORT_FORMATS:
        raise Http404(_("No such page."))
    exported = lesson_export_as(lesson=lesson, file_format=file_format, by=signed_in_user(request))
    response = HttpResponse(exported.content, content_type=exported.media_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response
