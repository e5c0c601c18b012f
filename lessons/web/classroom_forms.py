"""Forms of the teacher's class pages. They check the shape of what was sent; the rules (a published
lesson, due after opening, at least one attempt…) are the service layer's, whose errors the views put back
on these forms' fields with `add_service_error`.

Times: a datetime-local input carries no zone, so the assignment form names the zone its times are in (a
hidden `tz`, the zone the page was shown in, stated beside each date field) and reads them in that zone.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lessons.models import READING_AIDS, AidVisibility, FeedbackRelease, LatePolicy, Lesson
from lessons.selectors import assignable_lessons
from lessons.services.errors import ServiceError

MAX_CSV_BYTES = 100_000
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
MAX_ATTEMPTS = 20
MAX_TIME_LIMIT_MINUTES = 24 * 60


def add_service_error(form: forms.Form, error: ServiceError) -> None:
    """Put a service error on the form field it names, or on the whole form when it names none here."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class ClassroomForm(forms.Form):
    name = forms.CharField(
        label=_("Class name"),
        max_length=120,
        help_text=_("For example “Year 10 Civics, period 3”. Students see it."),
    )


class JoinCodeForm(forms.Form):
    ROTATE = "rotate"
    DISABLE = "disable"

    action = forms.ChoiceField(
        label=_("Join code"),
        choices=[(ROTATE, _("Make a new code")), (DISABLE, _("Switch joining by code off"))],
    )


class JoinClassForm(forms.Form):
    code = forms.CharField(
        label=_("Join code"),
        max_length=32,
        help_text=_("The code your teacher gave you, for example K7PXM2QA. Dashes and spaces are fine."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class CoteacherForm(forms.Form):
    username = forms.CharField(
        label=_("Co-teacher’s username"),
        max_length=150,
        help_text=_("They must have a teacher account. They will see and manage this class as you do."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class StudentsImportForm(forms.Form):
    """The list of students, typed or pasted into the box or uploaded as a CSV file (one of the two)."""

    names = forms.CharField(
        label=_("Students, one per line: first name, last name"),
        required=False,
        max_length=MAX_CSV_BYTES,
        strip=False,
        help_text=_("For example: Ana,García. A first line “first name,last name” is skipped."),
        widget=forms.Textarea(attrs={"rows": 10, "cols": 40, "spellcheck": "false"}),
    )
    csv_file = forms.FileField(
        label=_("Or a CSV file"),
        required=False,
        help_text=_("Two columns, first name and last name, saved as UTF-8 text."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )

    def clean_csv_file(self) -> str | None:
        upload: UploadedFile | None = self.cleaned_data.get("csv_file")
        if upload is None:
            return None
        if upload.size is not None and upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(
                _("The file is too big: at most %(size)s kB.") % {"size": MAX_CSV_BYTES // 1000}
            )
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _("The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”.")
            ) from error

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        typed = (cleaned.get("names") or "").strip()
        uploaded = cleaned.get("csv_file")
        if self.errors:
            return cleaned
        if typed and uploaded is not None:
            raise forms.ValidationError(_("Give the list in the box or as a file, not both."))
        if not typed and uploaded is None:
            self.add_error("names", _("List at least one student, or choose a file."))
        return cleaned

    @property
    def source_field(self) -> str:
        """The field the list came from, where problems in its lines are reported."""
        return "csv_file" if self.cleaned_data.get("csv_file") is not None else "names"

    @property
    def csv_text(self) -> str:
        return self.cleaned_data.get("csv_file") or self.cleaned_data.get("names") or ""


class LocalDateTimeField(forms.Field):
    """A datetime-local input read as a naive wall-clock time; the form gives it its zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL_FORMAT)
    input_formats = (DATETIME_LOCAL_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")
    default_error_messages = {"invalid": _("Enter a date and time, such as 2025-03-14 09:30.")}

    def to_python(self, value: Any) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        for input_format in self.input_formats:
            try:
                return dt.datetime.strptime(text, input_format)
            except ValueError:
                continue
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


# Far enough either way for any school year; beyond them a date is a typing slip (and year 1 or 9999 cannot
# be moved between time zones at all).
FIRST_YEAR, LAST_YEAR = 2000, 2199


def in_zone(wall_clock: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """The wall-clock time in the zone, or None when the clocks skip it (a spring-forward gap)."""
    aware = wall_clock.replace(tzinfo=zone)
    if aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != wall_clock:
        return None
    return aware


class AssignmentForm(forms.Form):
    lesson = forms.ModelChoiceField(
        label=_("Lesson"),
        queryset=Lesson.objects.none(),
        empty_label=_("Choose a published lesson"),
        help_text=_("The lesson’s published version is assigned; later edits do not change it."),
    )
    opens_at = LocalDateTimeField(label=_("Opens"))
    due_at = LocalDateTimeField(label=_("Due"))
    tz = forms.CharField(widget=forms.HiddenInput, max_length=64)
    time_limit_minutes = forms.IntegerField(
        label=_("Time limit in minutes (optional)"),
        required=False,
        min_value=1,
        max_value=MAX_TIME_LIMIT_MINUTES,
        help_text=_("Counted from when a student starts. Leave empty for no limit."),
    )
    attempts_allowed = forms.IntegerField(
        label=_("Attempts allowed"), min_value=1, max_value=MAX_ATTEMPTS, initial=1
    )
    feedback_release = forms.ChoiceField(
        label=_("When students see feedback and the answers"),
        choices=FeedbackRelease.choices,
        initial=FeedbackRelease.AFTER_SUBMIT,
        widget=forms.RadioSelect,
    )
    late_policy = forms.ChoiceField(
        label=_("Work after the due date"),
        choices=LatePolicy.choices,
        initial=LatePolicy.REFUSE,
        widget=forms.RadioSelect,
    )
    shuffle_questions = forms.BooleanField(
        label=_("Shuffle the order of questions"),
        required=False,
        help_text=_("Each student keeps their own order every time they open the lesson."),
    )
    shuffle_options = forms.BooleanField(
        label=_("Shuffle the options of each question"),
        required=False,
        help_text=_("Each student keeps their own order every time they open the lesson."),
    )

    # When the class sees each reading aid (blank: as the lesson chooses), see `aid_fields`.
    aid_sourcing_note = forms.ChoiceField(label=_("The introduction’s sourcing note"), required=False)
    aid_provenance = forms.ChoiceField(label=_("The article’s provenance line"), required=False)
    aid_actor_cards = forms.ChoiceField(label=_("Actor cards (“Who is who”)"), required=False)
    aid_treaty_cards = forms.ChoiceField(label=_("Treaty cards"), required=False)

    def __init__(self, *args: Any, teacher: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for aid in READING_AIDS:
            field = self.fields[f"aid_{aid}"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("As the lesson chooses")), *AidVisibility.choices]
        self.fields["aid_sourcing_note"].help_text = _(
            "Reading aids can give answers away: choose when your students see each of them."
        )
        lesson_field = self.fields["lesson"]
        assert isinstance(lesson_field, forms.ModelChoiceField)
        lesson_field.queryset = assignable_lessons(teacher)
        zone_name = timezone.get_current_timezone_name()
        if self.is_bound and self.data.get("tz") in zoneinfo.available_timezones():
            zone_name = self.data["tz"]
        self.zone_name = zone_name
        for name in ("opens_at", "due_at"):
            self.fields[name].help_text = _("Date and time in the %(zone)s time zone.") % {"zone": zone_name}
        if not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("tz", zone_name)
            self.initial.setdefault("opens_at", now.strftime(DATETIME_LOCAL_FORMAT))
            self.initial.setdefault("due_at", (now + dt.timedelta(days=7)).strftime(DATETIME_LOCAL_FORMAT))

    def reading_aids(self) -> dict[str, str | None]:
        """The teacher's choice of each reading aid, None where the lesson's own choice stands."""
        return {aid: self.cleaned_data.get(f"aid_{aid}") or None for aid in READING_AIDS}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("tz") not in zoneinfo.available_timezones():
            raise forms.ValidationError(_("Unknown time zone. Reload the page and try again."))
        zone = zoneinfo.ZoneInfo(cleaned["tz"])
        for name in ("opens_at", "due_at"):
            wall_clock = cleaned.get(name)
            if wall_clock is None:
                continue
            if not FIRST_YEAR <= wall_clock.year <= LAST_YEAR:
                self.add_error(
                    name,
                    _("Give a date from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
                )
                continue
            aware = in_zone(wall_clock, zone)
            if aware is None:
                self.add_error(
                    name, _("This time does not exist in %(zone)s: the clocks change then.") % {"zone": zone}
                )
            else:
                cleaned[name] = aware
        return cleaned


class ExtraTimeForm(forms.Form):
    """A student's standing extra time in a class (an IEP or 504 plan's "time and a half")."""

    time_multiplier = forms.DecimalField(
        label=_("Extra time: time limits multiplied by"),
        min_value=1,
        max_value=4,
        decimal_places=2,
        max_digits=3,
        help_text=_(
            "1 for none, 1.5 for time and a half, 2 for double time (at most 4). It applies to every "
            "assignment of this class that has a time limit, including attempts in progress."
        ),
        widget=forms.NumberInput(attrs={"step": "0.05", "inputmode": "decimal"}),
    )


class ExtensionForm(forms.Form):
    """One student's extension of one assignment: their own due date, extra minutes, or both."""

    # The submit button pressed, `<prefix>-action`: removing needs none of the fields.
    WITHDRAW = "withdraw"

    due_at = LocalDateTimeField(label=_("Own due date"), required=False)
    extra_minutes = forms.IntegerField(
        label=_("Extra minutes on the time limit"),
        required=False,
        min_value=0,
        max_value=MAX_TIME_LIMIT_MINUTES,
    )
    tz = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone_name = timezone.get_current_timezone_name()
        if self.is_bound and self.data.get("tz") in zoneinfo.available_timezones():
            zone_name = self.data["tz"]
        self.zone_name = zone_name
        self.fields["due_at"].help_text = _(
            "Date and time in the %(zone)s time zone; empty to keep the class’s."
        ) % {"zone": zone_name}
        if not self.is_bound:
            self.initial.setdefault("tz", zone_name)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("tz") not in zoneinfo.available_timezones():
            raise forms.ValidationError(_("Unknown time zone. Reload the page and try again."))
        wall_clock = cleaned.get("due_at")
        if wall_clock is not None:
            if not FIRST_YEAR <= wall_clock.year <= LAST_YEAR:
                self.add_error(
                    "due_at",
                    _("Give a date from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
                )
            else:
                zone = zoneinfo.ZoneInfo(cleaned["tz"])
                aware = in_zone(wall_clock, zone)
                if aware is None:
                    self.add_error(
                        "due_at",
                        _("This time does not exist in %(zone)s: the clocks change then.") % {"zone": zone},
                    )
                else:
                    cleaned["due_at"] = aware
        cleaned["extra_minutes"] = cleaned.get("extra_minutes") or 0
        return cleaned
