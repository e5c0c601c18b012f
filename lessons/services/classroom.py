"""Classes and assignments: joining, rosters, starting attempts under an assignment's rules, teacher
grading of open responses, releasing feedback, regrading after a key fix, and closing expired attempts.

Time always comes from the server (`now` defaults to timezone.now()); the browser's clock is never asked.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import secrets
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons import policy
from lessons.hashers import OneTimePasswordHasher
from lessons.models import (
    READING_AIDS,
    TEACHERS_GROUP,
    AidVisibility,
    Assignment,
    Attempt,
    AttemptState,
    Classroom,
    Enrollment,
    Extension,
    FeedbackRelease,
    LatePolicy,
    Lesson,
    LessonStatus,
    Regrade,
    RegradeChange,
    Response,
    TeacherProfile,
    TemporaryPassword,
)
from lessons.selectors import assignable_lessons
from lessons.selectors.compiled import CompiledQuery
from lessons.selectors.revisions import remember_revision
from lessons.selectors.self_study import self_study_holds
from lessons.text_checks import has_bidi_controls

from . import locks
from .attempts import (
    RESCORED_FIELDS,
    _submit_locked,
    all_points,
    attempt_score,
    rescore_attempt,
    revision_questions,
)
from .errors import AttemptClosed, InvalidInput, NotAllowed, NotVerified, ServiceError
from .lti_scores import graded_in_an_lms, scores_changed

JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
JOIN_CODE_LENGTH = 8
MAX_BULK_STUDENTS = 200


class AssignmentNotOpen(ServiceError):
    status = 409


class NoAttemptsLeft(ServiceError):
    status = 409


class ClassroomArchived(ServiceError):
    """An archived class is read-only: its roster, join code and assignments no longer change (409)."""

    status = 409


class NothingToRelease(ServiceError):
    """The assignment's feedback is released by its own rule, or was released already (409)."""

    status = 409


class GradingConflict(ServiceError):
    """Someone else graded this response since the form was loaded (409): nothing was overwritten."""

    status = 409


class NotSubmittedYet(ServiceError):
    """The attempt is still in progress: its answers are graded once it is submitted (409)."""

    status = 409


# A teacher's comment on a graded answer and a regrade's note: longer is a paste gone wrong.
MAX_COMMENT_LENGTH = 10_000
MAX_NOTE_LENGTH = 1_000


def is_teacher(user: Any) -> bool:
    return bool(user.is_authenticated and user.groups.filter(name=TEACHERS_GROUP).exists())


def teacher_is_verified(user: Any) -> bool:
    """Whether `user` may see material shared with teachers and make accounts in bulk (DESIGN.md rule 12): a
    superuser, or a teacher a site administrator or a verified colleague has verified (services.people)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    verified = TeacherProfile.objects.filter(user_id=user.pk, verified_at__isnull=False).exists()
    return verified and is_teacher(user)


def teacher_make(*, user: User) -> None:
    """Make `user` a teacher: unverified until verified (services.people.teacher_verify)."""
    group, _created = Group.objects.get_or_create(name=TEACHERS_GROUP)
    user.groups.add(group)
    TeacherProfile.objects.get_or_create(user=user)


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def _with_fresh_code(classroom: Classroom) -> None:
    # A collision among 32^8 codes is unlikely but not impossible: retry inside a savepoint.
    for _attempt in range(5):
        classroom.join_code = new_join_code()
        try:
            with transaction.atomic():
                classroom.save()
            return
        except IntegrityError:
            continue
    raise ServiceError(_("Could not make a unique join code; please try again."))


@transaction.atomic
def classroom_create(*, teacher: User, name: str) -> Classroom:
    if not is_teacher(teacher):
        raise NotAllowed(_("Only teachers can create classes."))
    name = name.strip()
    if not name:
        raise InvalidInput(_("Give the class a name."), field="name")
    refuse_bidi_controls(name, field="name")
    classroom = Classroom(name=name[:120])
    _with_fresh_code(classroom)
    classroom.teachers.add(teacher)
    return classroom


def _refuse_unless_changeable(classroom: Classroom | None) -> Classroom:
    """`classroom` as found among the acting teacher's classes (None: not theirs), if it may change."""
    if classroom is None:
        raise NotAllowed(_("You do not teach this class."))
    if policy.classroom_is_read_only(classroom):
        raise ClassroomArchived(
            _("This class is archived: its roster, join code and assignments can no longer change.")
        )
    return classroom


def classroom_check_changeable(*, classroom: Classroom, teacher: User) -> None:
    """What every change to a class checks first: `teacher` teaches it (else NotAllowed, 404) and it is not
    archived (else ClassroomArchived, 409). The changes check it again under the class's lock; a page with
    a form for a change asks it before showing the form."""
    _refuse_unless_changeable(Classroom.objects.filter(pk=classroom.pk, teachers=teacher).first())


def _lock_changeable(classroom: Classroom, teacher: User) -> Classroom:
    """The class's row, locked (lock order: see locks.py), once `classroom_check_changeable` holds."""
    return _refuse_unless_changeable(
        locks.classrooms_for_update().filter(pk=classroom.pk, teachers=teacher).first()
    )


@transaction.atomic
def classroom_rotate_code(*, classroom: Classroom, teacher: User) -> Classroom:
    """A new join code; the old one stops working. Locks the class."""
    locked = _lock_changeable(classroom, teacher)
    _with_fresh_code(locked)
    classroom.join_code = locked.join_code
    return classroom


@transaction.atomic
def classroom_disable_code(*, classroom: Classroom, teacher: User) -> Classroom:
    """No joining by code until a new one is made. Locks the class."""
    locked = _lock_changeable(classroom, teacher)
    locked.join_code = classroom.join_code = None
    locked.save(update_fields=["join_code"])
    return classroom


@transaction.atomic
def classroom_archive(*, classroom: Classroom, teacher: User, now: dt.datetime | None = None) -> Classroom:
    """Make the class read-only and switch its code off. Archiving twice keeps the first date. Locks the
    class."""
    locked = locks.classrooms_for_update().filter(pk=classroom.pk, teachers=teacher).first()
    if locked is None:
        raise NotAllowed(_("You do not teach this class."))
    if not policy.classroom_is_read_only(locked):
        locked.archived_at = now or timezone.now()
        locked.join_code = None
        locked.save(update_fields=["archived_at", "join_code"])
    classroom.archived_at, classroom.join_code = locked.archived_at, locked.join_code
    return classroom


@transaction.atomic
def classroom_remove_student(*, classroom: Classroom, teacher: User, student_id: int) -> User:
    """Take a student out of the class. Their attempts are kept, and come back if they join again, but
    count nowhere meanwhile: the gradebook, the item analysis and the grading queue are of the class's
    students, and an attempt in progress can no longer save an answer or be submitted. Locks the class."""
    _lock_changeable(classroom, teacher)
    found = (
        Enrollment.objects.select_related("student")
        .filter(classroom=classroom, student_id=student_id)
        .first()
    )
    if found is None:
        raise NotAllowed(_("No such student in this class."))
    found.delete()
    return found.student


@transaction.atomic
def classroom_add_coteacher(*, classroom: Classroom, teacher: User, username: str) -> User:
    """Let another teacher (by username) teach the class too. Locks the class."""
    _lock_changeable(classroom, teacher)
    colleague = User.objects.filter(username=username.strip()).first()
    if colleague is None or not is_teacher(colleague):
        raise InvalidInput(
            _("No teacher has the username %(name)s.") % {"name": username[:150]}, field="username"
        )
    classroom.teachers.add(colleague)
    return colleague


@transaction.atomic
def classroom_remove_coteacher(*, classroom: Classroom, teacher: User, colleague_id: int) -> User:
    """Stop a teacher (a co-teacher, or `teacher` themselves) teaching the class. A class keeps at least one
    teacher. NotAllowed (404) for someone who does not teach it. Locks the class."""
    _lock_changeable(classroom, teacher)
    teachers = list(classroom.teachers.order_by("pk"))
    colleague = next((person for person in teachers if person.pk == colleague_id), None)
    if colleague is None:
        raise NotAllowed(_("No such teacher of this class."))
    if len(teachers) == 1:
        raise InvalidInput(_("A class keeps at least one teacher."), field="teacher")
    classroom.teachers.remove(colleague)
    return colleague


def normalise_join_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code).upper()


@transaction.atomic
def classroom_join(*, student: User, code: str) -> Enrollment:
    """Enroll the student in the class with this code; joining twice is harmless."""
    classroom = Classroom.objects.filter(
        join_code=normalise_join_code(code), archived_at__isnull=True
    ).first()
    if classroom is None:
        raise InvalidInput(_("No open class has this code. Check it with your teacher."), field="code")
    enrollment, _created = Enrollment.objects.get_or_create(classroom=classroom, student=student)
    return enrollment


@dataclass(frozen=True)
class NewStudent:
    username: str
    name: str
    password: str


# A bad roster of thousands of lines is reported by its first problems and a count of the rest: enough to
# see what is wrong without a page of thousands of errors.
MAX_REPORTED_PROBLEMS = 50


class BulkAddError(InvalidInput):
    """The roster's problems by line: the first MAX_REPORTED_PROBLEMS of them, and how many more there are."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems[:MAX_REPORTED_PROBLEMS]
        self.more = len(problems) - len(self.problems)
        super().__init__("; ".join(self.messages()), field="csv")

    def messages(self) -> list[str]:
        """One sentence a line, and a last one counting the problems left out."""
        lines = [_("Line %(line)s: %(problem)s") % {"line": n, "problem": p} for n, p in self.problems]
        if self.more:
            lines.append(_("…and %(count)s more problems.") % {"count": self.more})
        return lines


def has_control_characters(text: str, *, allowed: str = "\n\r\t") -> bool:
    """NUL and the other C0/C1 control characters: no database stores NUL in text, and none belongs in a
    name or a comment."""
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


def refuse_control_characters(text: str, *, field: str) -> None:
    if has_control_characters(text):
        raise InvalidInput(_("The text contains a control character (such as NUL). Remove it."), field=field)


def refuse_bidi_controls(text: str, *, field: str) -> None:
    """A title or a name holds no bidirectional control (see lessons.text_checks)."""
    if has_bidi_controls(text):
        raise InvalidInput(
            _("The text holds a character that reverses the text around it (U+202A–U+202E, U+2066–U+2069)."),
            field=field,
        )


def _username_base(first: str, last: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", f"{first}.{last}").encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9.]+", "", ascii_name.lower()).strip(".")
    return (base or "student")[:140]


def one_time_password() -> str:
    # Readable by a teacher reading aloud: four groups of four characters without look-alikes.
    return "-".join("".join(secrets.choice(JOIN_CODE_ALPHABET.lower()) for _ in range(4)) for _ in range(4))


# A first row naming the columns is skipped, in English or Spanish.
HEADERS = {
    ("first name", "last name"),
    ("first", "last"),
    ("firstname", "lastname"),
    ("given name", "family name"),
    ("nombre", "apellido"),
    ("nombre", "apellidos"),
}


SNIFF_SAMPLE = 500  # characters: a line of two names is far shorter


def _csv_rows(csv_text: str) -> list[list[str]]:
    """The rows of a roster as typed, pasted or saved by a spreadsheet: any line ending (old spreadsheets
    end lines with a lone CR), and cells split by commas, or by tabs (pasted cells) or semicolons (CSV
    saved where the comma is the decimal mark) when the first line has those and no comma."""
    lines = csv_text.lstrip("\ufeff").splitlines()
    first = next((line for line in lines if line.strip()), "")
    try:  # the sniffer sees past separators inside quoted cells; its time grows fast with the sample's length
        delimiter = csv.Sniffer().sniff(first[:SNIFF_SAMPLE], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as error:
        raise BulkAddError([(reader.line_num, _("this line cannot be read as CSV"))]) from error


def students_bulk_add(*, classroom: Classroom, teacher: User, csv_text: str) -> list[NewStudent]:
    """Make accounts for the students listed (a "first name,last name" row each) and enroll them.

    All or nothing: any bad row is reported with its line number and no account is made. The passwords are
    returned once, to be shown once; only their hashes are stored. Checked like every change to a class
    (`classroom_check_changeable`) before the list is read, and again under the class's lock.
    """
    classroom_check_changeable(classroom=classroom, teacher=teacher)
    if not teacher_is_verified(teacher):
        raise NotVerified(
            _(
                "Making student accounts from a list waits until you are a verified teacher: ask a site "
                "administrator, or a verified colleague at your school for an invitation link."
            )
        )
    rows = _csv_rows(csv_text)
    problems: list[tuple[int, str]] = []
    people: list[tuple[str, str]] = []
    first_row = True
    for line_number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        is_header, first_row = first_row and tuple(c.lower() for c in cells[:2]) in HEADERS, False
        if is_header:
            continue
        if any(has_control_characters(cell, allowed="") for cell in cells):
            problems.append((line_number, _("a name contains a control character (such as NUL)")))
            continue
        if any(has_bidi_controls(cell) for cell in cells):
            problems.append((line_number, _("a name contains a character that reverses the text around it")))
            continue
        if len(cells) != 2:
            problems.append((line_number, _("expected two cells, first name and last name")))
            continue
        first, last = cells
        if not first or not last:
            problems.append((line_number, _("both first name and last name are needed")))
        elif len(first) > 150 or len(last) > 150:
            problems.append((line_number, _("a name is longer than 150 characters")))
        elif any(ch in "=+@\t\r" for ch in first[:1] + last[:1]):
            problems.append((line_number, _("a name cannot start with = + @ or a control character")))
        else:
            people.append((first, last))
    if not people and not problems:
        problems.append((1, _("the file lists no students")))
    if len(people) > MAX_BULK_STUDENTS:
        problems.append((len(rows), _("at most %(max)s students at a time") % {"max": MAX_BULK_STUDENTS}))
    if problems:
        raise BulkAddError(problems)

    return _make_students(classroom, teacher, people)


@transaction.atomic
def _make_students(classroom: Classroom, teacher: User, people: list[tuple[str, str]]) -> list[NewStudent]:
    """The accounts and enrollments, in one transaction; the list was read and checked before it opened."""
    _lock_changeable(classroom, teacher)
    taken: set[str] = set()
    created: list[NewStudent] = []
    temporary: list[TemporaryPassword] = []
    for first, last in people:
        base = _username_base(first, last)
        username, suffix = base, 2
        while username in taken or User.objects.filter(username=username).exists():
            username, suffix = f"{base}{suffix}", suffix + 1
        taken.add(username)
        password = one_time_password()
        # Hashed cheaply on purpose (see lessons.hashers): 200 slow hashes would outlast the request.
        user = User.objects.create_user(username=username, first_name=first, last_name=last)
        user.password = make_password(password, hasher=OneTimePasswordHasher.algorithm)
        user.save(update_fields=["password"])
        Enrollment.objects.create(classroom=classroom, student=user)
        temporary.append(TemporaryPassword(user=user))
        created.append(NewStudent(username=username, name=f"{first} {last}", password=password))
    # The teacher has seen these passwords: each student replaces theirs at first login.
    TemporaryPassword.objects.bulk_create(temporary)
    return created


def check_assignment_terms(
    *,
    opens_at: dt.datetime,
    due_at: dt.datetime,
    attempts_allowed: int,
    time_limit_minutes: int | None,
    reading_aids: dict[str, str | None] | None,
) -> dict[str, str | None]:
    """An assignment's terms as given when it is made or changed (InvalidInput naming the field otherwise);
    the reading aids' choices returned."""
    if due_at <= opens_at:
        raise InvalidInput(_("The due date must come after the opening date."), field="due_at")
    if attempts_allowed < 1:
        raise InvalidInput(_("Allow at least one attempt."), field="attempts_allowed")
    if time_limit_minutes is not None and time_limit_minutes < 1:
        raise InvalidInput(_("A time limit is at least one minute."), field="time_limit_minutes")
    aids = reading_aids or {}
    for aid, chosen in aids.items():
        if aid not in READING_AIDS:
            raise InvalidInput(_("Unknown reading aid."), field=f"aid_{aid}")
        if chosen is not None and chosen not in AidVisibility.values:
            raise InvalidInput(_("Choose when this reading aid is shown."), field=f"aid_{aid}")
    return aids


@transaction.atomic
def assignment_create(
    *,
    classroom: Classroom,
    lesson: Lesson,
    by: User,
    opens_at: dt.datetime,
    due_at: dt.datetime,
    time_limit_minutes: int | None = None,
    attempts_allowed: int = 1,
    feedback_release: str = FeedbackRelease.AFTER_SUBMIT,
    late_policy: str = LatePolicy.REFUSE,
    shuffle_questions: bool = False,
    shuffle_options: bool = False,
    reading_aids: dict[str, str | None] | None = None,
) -> Assignment:
    """Give the lesson's published revision to the class. Later edits of the lesson do not reach it.
    `by` must teach the class, and the class must not be archived. Locks the class.

    `reading_aids` chooses, aid by aid (READING_AIDS), when the class sees it; an aid left out or None
    follows the lesson's choice."""
    _lock_changeable(classroom, by)
    if lesson.status != LessonStatus.PUBLISHED or lesson.published_revision_id is None:
        raise InvalidInput(_("Only a published lesson can be assigned."), field="lesson")
    if not assignable_lessons(by).filter(pk=lesson.pk).exists():
        raise InvalidInput(_("This lesson is not shared with you."), field="lesson")
    aids = check_assignment_terms(
        opens_at=opens_at,
        due_at=due_at,
        attempts_allowed=attempts_allowed,
        time_limit_minutes=time_limit_minutes,
        reading_aids=reading_aids,
    )
    return Assignment.objects.create(
        classroom=classroom,
        revision_id=lesson.published_revision_id,
        lesson=lesson,
        opens_at=opens_at,
        due_at=due_at,
        time_limit_minutes=time_limit_minutes,
        attempts_allowed=attempts_allowed,
        feedback_release=feedback_release,
        late_policy=late_policy,
        shuffle_questions=shuffle_questions,
        shuffle_options=shuffle_options,
        **{f"aid_{aid}": aids.get(aid) for aid in READING_AIDS},
        created_by=by,
    )


def assignment_attempt_start(
    *, assignment: Assignment, student: User, now: dt.datetime | None = None
) -> Attempt:
    """The student's attempt in progress, or a new one if the assignment's rules allow it.

    Locks the student's enrollment row, so parallel starts (two tabs, a double click) count attempts one at
    a time and never exceed attempts_allowed. An attempt found open past its deadline is submitted first,
    in its own transaction, so it stays submitted even when a new attempt is then refused.
    """
    now = now or timezone.now()
    started = _attempt_start_locked(assignment, student, now=now, submit_expired=True)
    if isinstance(started, Attempt):
        return started
    # An attempt open past its deadline: submitted (if its time is up) in a transaction of its own, then
    # the start is tried again.
    attempt_ensure_current(Attempt.objects.get(pk=started), now=now)
    found = _attempt_start_locked(assignment, student, now=now, submit_expired=False)
    assert isinstance(found, Attempt)
    return found


def _enrollment_lock(classroom_id: int, student_id: int) -> QuerySet[Enrollment, Any]:
    return (
        locks.enrollments_for_update()
        .filter(classroom_id=classroom_id, student_id=student_id)
        .values_list("pk")[:1]
    )


def _start_standing(enrollment_id: int, assignment_id: int, student_id: int) -> QuerySet[Enrollment, Any]:
    """What the rules of a start need, in one statement: the student's extra time, their extension of
    the assignment, how many attempts they made and the one in progress."""
    extension = Extension.objects.filter(assignment_id=assignment_id, student_id=student_id)
    mine = Attempt.objects.filter(assignment_id=assignment_id, learner_id=student_id)
    in_progress = mine.filter(state=AttemptState.OPEN).order_by("number")
    return (
        Enrollment.objects.filter(pk=enrollment_id)
        .annotate(
            own_due_at=Subquery(extension.values("due_at")[:1]),
            own_extra_minutes=Subquery(extension.values("extra_minutes")[:1]),
            attempts_used=Subquery(
                mine.order_by().values("learner_id").annotate(count=Count("pk")).values("count")[:1]
            ),
            open_id=Subquery(in_progress.values("pk")[:1]),
            open_deadline=Subquery(in_progress.values("deadline")[:1]),
        )
        .values_list(
            "time_multiplier",
            "own_due_at",
            "own_extra_minutes",
            "attempts_used",
            "open_id",
            "open_deadline",
        )[:1]
    )


# Compiled once per process (`lessons.selectors.compiled`): a class starts at the bell.
_ENROLLMENT_LOCK: CompiledQuery[Enrollment] = CompiledQuery(_enrollment_lock, 2)
_START_STANDING: CompiledQuery[Enrollment] = CompiledQuery(_start_standing, 3)


def _attempt_start_locked(
    assignment: Assignment, student: User, *, now: dt.datetime, submit_expired: bool
) -> Attempt | int:
    """`assignment_attempt_start` under the enrollment's lock: the attempt in progress or a new one; or
    (`submit_expired`) the id of an attempt open past its deadline, for the caller to submit first.

    Three statements to start: the lock, one read of what the rules need (the student's extra time and
    extension, their attempts so far and the one in progress), the insert."""
    with transaction.atomic():
        found = _ENROLLMENT_LOCK.tuples(assignment.classroom_id, student.pk)
        if not found:
            raise NotAllowed(_("You are not in this class."))
        # Read once the enrollment is locked, in a statement of its own: a teacher changing the extension
        # or a parallel start holds that lock until they commit, and the read then sees what they committed.
        standing = _START_STANDING.tuples(found[0][0], assignment.pk, student.pk)[0]
        multiplier, due_at, extra_minutes, used, open_id, open_deadline = standing
        if open_id is not None:
            if submit_expired and open_deadline is not None and open_deadline < now:
                return cast(int, open_id)
            return Attempt.objects.get(pk=open_id)
        terms = policy.student_terms(
            assignment,
            time_multiplier=multiplier,
            extra_minutes=extra_minutes or 0,
            extended_due_at=due_at,
        )
        used = used or 0
        refusal = policy.start_refusal(assignment, attempts_used=used, now=now, terms=terms)
        if refusal is policy.StartRefusal.NOT_OPEN_YET:
            raise AssignmentNotOpen(_("This assignment has not opened yet."))
        if refusal is policy.StartRefusal.NO_ATTEMPTS_LEFT:
            raise NoAttemptsLeft(_("You have used all the attempts this assignment allows."))
        if refusal is policy.StartRefusal.CLOSED:
            raise AssignmentNotOpen(_("This assignment closed at its due date."))
        remember_revision(assignment.revision)  # its content, kept by the process (none read when kept)
        return Attempt.objects.create(
            learner=student,
            assignment=assignment,
            revision_id=assignment.revision_id,
            lesson_id=assignment.lesson_id,
            number=used + 1,
            deadline=policy.attempt_deadline(assignment, now, terms),
            possible=all_points(assignment.revision),
            is_late=policy.is_late(assignment, now, terms),
        )


def self_study_held_by(user: User, *, lesson_id: int, now: dt.datetime | None = None) -> Assignment | None:
    """An assignment of this lesson that keeps the student from practising it on their own (rule 1: self-study
    shows every key at once), or None. The rule is `selectors.self_study.self_study_holds`, which the review
    queue applies too. One query."""
    return self_study_holds(user, now=now or timezone.now(), lesson_id=lesson_id).get(lesson_id)


def _refuse_unless_teaching(classroom: Classroom | None) -> Classroom:
    """The assignment's class as found among the acting teacher's classes (None: not theirs), if its
    results may still change: an archived class is read-only, its feedback, scores and grades kept."""
    if classroom is None:
        raise NotAllowed(_("You do not teach the class of this assignment."))
    if policy.classroom_is_read_only(classroom):
        raise ClassroomArchived(_("This class is archived: its results can no longer change."))
    return classroom


def assignment_release_feedback(
    *, assignment: Assignment, teacher: User, now: dt.datetime | None = None
) -> Assignment:
    """Release feedback and keys, by hand, to the students who submitted. Only where the assignment says a
    teacher releases them (NothingToRelease otherwise), and once: a second release keeps the first date.
    Raises NotAllowed (404) when `teacher` does not teach the class, ClassroomArchived (409) when it is
    archived."""
    _refuse_unless_teaching(Classroom.objects.filter(pk=assignment.classroom_id, teachers=teacher).first())
    if not policy.released_by_hand(assignment):
        raise NothingToRelease(
            _("This assignment releases feedback by its own rule (%(rule)s): there is nothing to release.")
            % {"rule": assignment.get_feedback_release_display()}
        )
    released_at = now or timezone.now()
    # One statement, so that of two releases at once only the first sets the date.
    if not Assignment.objects.filter(pk=assignment.pk, released_at__isnull=True).update(
        released_at=released_at
    ):
        raise NothingToRelease(_("Feedback for this assignment was already released."))
    assignment.released_at = released_at
    return assignment


@transaction.atomic
def response_grade(
    *,
    response: Response,
    by: User,
    criterion_scores: dict[str, Any],
    comment: str,
    expected_version: int,
    now: dt.datetime | None = None,
) -> Response:
    """A teacher's grade of an open response, criterion by criterion.

    Locks the response row and compares `expected_version` with the stored one, so of two co-teachers
    grading at once the second is told (GradingConflict) instead of silently overwriting the first.
    Raises NotAllowed when `by` does not teach the attempt's class, ClassroomArchived (409) when it is
    archived, NotSubmittedYet for an answer of an attempt still in progress, InvalidInput for an answer a
    machine scores.
    """
    refuse_control_characters(comment, field="comment")
    if len(comment) > MAX_COMMENT_LENGTH:
        raise InvalidInput(
            _("Keep the comment under %(max)s characters.") % {"max": MAX_COMMENT_LENGTH}, field="comment"
        )
    # Only a teacher of the attempt's class may grade it; checked in the locking queries. The attempt is
    # locked before its response, in the order a regrade takes them, so the two never deadlock.
    found = (
        locks.attempts_for_update()
        .filter(responses__pk=response.pk, assignment__classroom__teachers=by)
        .values_list("pk", "assignment__classroom__archived_at", graded_in_an_lms())
        .first()
    )
    locked = (
        locks.responses_for_update()
        .select_related("attempt", "attempt__revision")
        .filter(pk=response.pk, attempt_id=found[0])
        .first()
        if found is not None
        else None
    )
    if found is None or locked is None:
        raise NotAllowed(_("You do not teach the class of this answer."))
    if found[1] is not None:
        # Read-only like every other change to an archived class: its grades stay as they were.
        raise ClassroomArchived(_("This class is archived: its results can no longer change."))
    if locked.attempt.state != AttemptState.SUBMITTED:
        raise NotSubmittedYet(
            _("This attempt is still in progress: its answers are graded once it is submitted.")
        )
    if not locked.needs_teacher:
        raise InvalidInput(_("Only open responses are graded by a teacher."), field="response")
    if locked.version != expected_version:
        raise GradingConflict(_("Another teacher graded this answer meanwhile. Reload to see their grade."))
    revision = locked.attempt.graded_revision or locked.attempt.revision
    question = revision_questions(revision)[locked.question_key]
    rubric = {criterion["id"]: criterion for criterion in question["answer"]["rubric"]}
    scores: dict[str, int] = {}
    for criterion_id, criterion in rubric.items():
        raw = criterion_scores.get(criterion_id)
        try:
            points: int | None = int(str(raw))
        except (TypeError, ValueError):
            points = None
        if points is None or not 0 <= points <= criterion["points"]:
            raise InvalidInput(
                _("Give %(criterion)s a whole number of points from 0 to %(max)s.")
                % {"criterion": criterion["criterion"][:60], "max": criterion["points"]},
                field=f"criterion-{criterion_id}",
            )
        scores[criterion_id] = points
    unknown = set(criterion_scores) - set(rubric)
    if unknown:
        raise InvalidInput(_("Unknown rubric criterion."), field="criteria")
    locked.criterion_scores = scores
    locked.earned = Decimal(sum(scores.values()))
    locked.teacher_comment = comment.strip()
    locked.graded_by = by
    locked.graded_at = now or timezone.now()
    locked.version += 1
    locked.save()
    attempt = locked.attempt
    if attempt.state == AttemptState.SUBMITTED:
        Attempt.objects.filter(pk=attempt.pk).update(earned=attempt_score(attempt))
        if found[2]:
            scores_changed([attempt.pk], now=locked.graded_at)
    return locked


@transaction.atomic
def assignment_regrade(
    *, assignment: Assignment, by: User, note: str = "", now: dt.datetime | None = None
) -> Regrade:
    """Rescore every submitted attempt of the assignment against the lesson's current published revision.

    Meant for after a key was corrected and the lesson republished. Teacher grades of open responses are
    kept; an answer to a question taken out counts for nothing, one that no longer fits its question scores
    0. Every changed score is recorded (who, when, old and new); the assignment then hands out the new
    revision, and attempts still open move on to it. Locks all the assignment's attempts in primary-key
    order. Writes in batches of 1,000 rows, so the queries do not grow with the attempts below that.
    Raises NotAllowed (404) when `by` does not teach the assignment's class, ClassroomArchived (409) when
    it is archived; the class is locked first (lock order: see locks.py), so it is not archived meanwhile.
    """
    refuse_control_characters(note, field="note")
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(
            _("Keep the note under %(max)s characters.") % {"max": MAX_NOTE_LENGTH}, field="note"
        )
    _refuse_unless_teaching(
        locks.classrooms_for_update().filter(pk=assignment.classroom_id, teachers=by).first()
    )
    lesson = Lesson.objects.select_related("published_revision").get(pk=assignment.lesson_id)
    revision = lesson.published_revision
    if revision is None:
        raise InvalidInput(_("The lesson is no longer published."), field="lesson")
    now = now or timezone.now()
    regrade = Regrade.objects.create(assignment=assignment, revision=revision, by=by, at=now, note=note)
    # Every attempt, open ones too, so that no save or submit runs on the old key while this one commits.
    attempts = list(locks.attempts_for_update().filter(assignment=assignment).prefetch_related("responses"))
    responses: list[Response] = []
    changes = []
    for attempt in attempts:
        old = attempt.earned
        responses += rescore_attempt(attempt, attempt.responses.all(), revision)
        if attempt.state == AttemptState.SUBMITTED and old != attempt.earned:
            changes.append(
                RegradeChange(regrade=regrade, attempt=attempt, old_earned=old, new_earned=attempt.earned)
            )
    Response.objects.bulk_update(responses, RESCORED_FIELDS, batch_size=1_000)
    Attempt.objects.bulk_update(
        attempts, ["earned", "possible", "revision", "graded_revision"], batch_size=1_000
    )
    RegradeChange.objects.bulk_create(changes)
    scores_changed([change.attempt.pk for change in changes], now=now)
    Assignment.objects.filter(pk=assignment.pk).update(revision=revision)
    assignment.revision = revision
    return regrade


def close_expired_attempts(*, now: dt.datetime | None = None) -> int:
    """Submit, with what was saved, every attempt still open past its deadline. Returns how many."""
    now = now or timezone.now()
    closed = 0
    expired_ids = list(
        Attempt.objects.filter(state=AttemptState.OPEN, deadline__lt=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for attempt_id in expired_ids:
        with transaction.atomic():
            attempt = (
                locks.attempts_for_update(skip_locked=True)
                .select_related("assignment")
                .filter(pk=attempt_id, state=AttemptState.OPEN)
                .first()
            )
            if attempt is not None:
                _submit_locked(attempt, now=now, auto=True)
                closed += 1
    return closed


def attempt_ensure_current(attempt: Attempt, *, now: dt.datetime | None = None) -> Attempt:
    """On any access: an attempt open when its time is up is submitted now, with what was saved."""
    now = now or timezone.now()
    if attempt.state == AttemptState.OPEN and policy.time_is_up(attempt.deadline, now):
        with transaction.atomic():
            locked = locks.attempts_for_update().select_related("assignment").get(pk=attempt.pk)
            if locked.state == AttemptState.OPEN:
                _submit_locked(locked, now=now, auto=True)
            return locked
    return attempt


@dataclass(frozen=True)
class Resumed:
    """An attempt in progress as the student comes back to it: `time_up` when its time is up and it
    was submitted just now, so the page shows its results instead of its questions."""

    attempt: Attempt
    time_up: bool


def attempt_resume(attempt: Attempt, *, now: dt.datetime | None = None) -> Resumed:
    """The student's attempt in progress, made current (`attempt_ensure_current`) before it is shown."""
    current = attempt_ensure_current(attempt, now=now)
    return Resumed(attempt=current, time_up=not current.is_open)


def attempts_made_current(attempts: list[Attempt], *, now: dt.datetime | None = None) -> list[Attempt]:
    """The attempts (of one assignment, as read), any open one whose time is up submitted now with what was
    saved (`attempt_ensure_current`). No query unless one is."""
    now = now or timezone.now()
    current = []
    for attempt in attempts:
        if attempt.is_open and policy.time_is_up(attempt.deadline, now):
            assignment = attempt.assignment
            attempt = attempt_ensure_current(attempt, now=now)
            attempt.assignment = assignment
        current.append(attempt)
    return current


__all__ = [
    "AssignmentNotOpen",
    "AttemptClosed",
    "BulkAddError",
    "ClassroomArchived",
    "GradingConflict",
    "NewStudent",
    "NoAttemptsLeft",
    "NotSubmittedYet",
    "NothingToRelease",
]
