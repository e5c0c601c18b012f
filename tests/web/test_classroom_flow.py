"""The classroom, end to end through HTTP: one django test Client per person (two for Ana, who changes
browser), the server clock set by time_machine.

The story (UTC; the site's zone is UTC). Monday 3 March 2025:

  08:30  Ms Rivera signs up as a teacher, creates "Civics 9B" and assigns the first lesson: open 09:00,
         due 11:00, 30-minute time limit, late work accepted and marked late, feedback after submitting,
         one attempt.
  08:45  Ana, Ben and Chloé join with the code shown on the class page.
  09:10  Ana starts; saves seven answers on her laptop (changing her mind on question 10); at 09:22 she
         opens the assignment on a tablet, finds every answer there, answers one more and submits.
  09:30  Chloé starts, saves two answers and never submits. Her deadline is 10:00 plus 30 s of grace; the
         `close_expired_attempts` command submits nothing at 10:00:30 and her attempt at 10:01.
  10:55  Ben starts; he saves answers before and after the due date and submits at 11:04: late.
  11:30  The teacher grades Ana's open answer (5 of 6) and reads the gradebook and its CSV.
  12:00  She fixes question 10's key (False → True), publishes revision 2 and regrades: Ana gains a
         point, Ben loses one, Chloé (who did not answer it) keeps her score.

Each test is one stage. Its state is built by the fixtures up to the stage before, the same HTTP steps.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client
from django.urls import resolve, reverse

from lessons.models import Attempt, AttemptState, Lesson, RegradeChange
from lessons.services import lesson_import

pytestmark = pytest.mark.django_db

PASSWORD = "Quiet-harbour-1947"
HTMX_AUTOSAVE = {"HX-Request": "true"}

SIGN_UP_AT = dt.datetime(2025, 3, 3, 8, 30, tzinfo=dt.UTC)
OPENS_AT = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
DUE_AT = dt.datetime(2025, 3, 3, 11, 0, tzinfo=dt.UTC)
JOIN_AT = dt.datetime(2025, 3, 3, 8, 45, tzinfo=dt.UTC)
ANA_STARTS = dt.datetime(2025, 3, 3, 9, 10, tzinfo=dt.UTC)
CHLOE_STARTS = dt.datetime(2025, 3, 3, 9, 30, tzinfo=dt.UTC)
CHLOE_DEADLINE = CHLOE_STARTS + dt.timedelta(minutes=30, seconds=30)  # time limit + grace
BEN_STARTS = DUE_AT - dt.timedelta(minutes=5)
GRADING_AT = dt.datetime(2025, 3, 3, 11, 30, tzinfo=dt.UTC)
REGRADE_AT = dt.datetime(2025, 3, 3, 12, 0, tzinfo=dt.UTC)

OPEN_ANSWER = (
    "Nothing in the article says weapons are being sent: the requests are reported by the Washington "
    "Post, citing US documents, and it is unclear how Russia, China or Iran answered."
)

# The answers, as the forms post them (answer_forms.py), with the points each earns under revision 1
# (fixtures/lessons/venezuela-military-aid.json: `points`, `evidence_part`, `answer.correct`).
ANA_ON_THE_LAPTOP: dict[str, dict[str, Any]] = {
    "q01": {"answer": "a", "evidence": ["p3s4"]},  # right (a), with its sentence: 1 + 1 = 2
    "q05": {"answer": "true"},  # right (true): 1
    "q06": {"answer": ["missiles", "jet-repairs", "radar-repairs"]},  # exactly the key: 2
    "q08": {"answer": "a"},  # wrong (key c): 0 of 1 + 1
    "q10": {"answer": "true"},  # saved after "false" (see below); wrong under revision 1 (key false): 0
    "q19": {"asserted_by": "ab-post", "source": "src-docs", "standing": "alleged"},  # 2 of 3 parts: 2
    "q22": {"answer": OPEN_ANSWER},  # open response: waits for the teacher
}
ANA_ON_THE_TABLET = {"q03": {"answer": "Xi Jinping"}}  # an accepted answer: 1
# 2 + 1 + 2 + 0 + 0 + 2 + 1 = 8 machine-scored; the teacher gives q22 2 + 1 + 2 = 5 of 6: 13 of 47.
CHLOE_SAVES: dict[str, dict[str, Any]] = {
    "q04": {"answer": "b"},  # right, no sentence picked: 1 of 1 + 1
    "q02": {  # 3 of 6 pairs right: 3 × 3/6 = 1.5
        "match-i-cartels": "o-trump",
        "match-i-war": "o-maduro",
        "match-i-sovereignty": "o-zakharova",
        "match-i-requests": "o-putin",
        "match-i-responses": "o-docs",
        "match-i-support": "",
    },
}
# 1 + 1.5 = 2.5 of 47.
BEN_BEFORE_THE_DUE_DATE: dict[str, dict[str, Any]] = {
    "q10": {"answer": "false"},  # right under revision 1: 1 (wrong once the key says true)
    "q05": {"answer": "true"},  # 1
}
BEN_AFTER_THE_DUE_DATE: dict[str, dict[str, Any]] = {
    # The timeline in the right order, whatever order the items are listed in: 2
    "q07": {"position-s-article": "3", "position-s-docs": "1", "position-s-post": "2"},
    "q11": {"answer": ["russia", "venezuela", "china"]},  # 2 right − 1 wrong of 2: 2 × 1/2 = 1
}
# 1 + 1 + 2 + 1 = 5 of 47, late.

# Every question's points plus its evidence part, summed over the 24 questions.
POSSIBLE = 47

LESSON_TITLE = (
    "Venezuela’s reported call for military help: actors, a treaty and the sources behind the story"
)


# ----------------------------------------------------------------------------------------------------
# Reading pages


class AnswerForms(HTMLParser):
    """What a take page's answer forms show, by question: the checked boxes and radios, the selected
    options, the typed text (`answers`), and each form's hidden fields (`hidden`)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.answers: dict[str, dict[str, list[str]]] = {}
        self.hidden: dict[str, dict[str, str]] = {}
        self._key: str | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "section" and attributes.get("data-question"):
            self._key = attributes["data-question"]
            self.answers[self._key], self.hidden[self._key] = {}, {}
        if self._key is None:
            return
        found = self.answers[self._key]
        name, value = attributes.get("name") or "", attributes.get("value") or ""
        if tag == "input" and attributes.get("type") == "hidden":
            self.hidden[self._key][name] = value
        elif tag == "input" and attributes.get("type") in ("radio", "checkbox"):
            if "checked" in attributes:
                found.setdefault(name, []).append(value)
        elif tag == "input" and value:
            found[name] = [value]
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            found.setdefault(self._select, []).append(value)
        elif tag == "textarea":
            self._textarea = name
            found[name] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._key = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._key is not None and self._textarea is not None:
            self.answers[self._key][self._textarea][0] += data


def as_shown(posted: dict[str, Any]) -> dict[str, list[str]]:
    """The form fields a posted answer comes back as: each a list, blank selects left out."""
    return {
        name: value if isinstance(value, list) else [value] for name, value in posted.items() if value != ""
    }


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def table_rows(page: str, caption: str = "") -> list[str]:
    """The body rows of the page's table (the one whose caption contains `caption`), as text."""
    start = page.index(caption) if caption else 0
    body = page[page.index("<tbody>", start) : page.index("</tbody>", start)]
    return [text_of(row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def located(response: HttpResponse) -> str:
    assert response.status_code in (302, 303), response.status_code
    return response["Location"]


# ----------------------------------------------------------------------------------------------------
# The people and their steps


@dataclass
class Story:
    """The class's story: everyone's browsers, and what the pages told them (ids, the join code)."""

    clock: time_machine.Coordinates
    teacher: Client = field(default_factory=Client)
    students: dict[str, Client] = field(default_factory=dict)
    classroom_id: int = 0
    assignment_id: int = 0
    join_code: str = ""

    # The teacher ------------------------------------------------------------------------------------

    def teacher_signs_up(self) -> HttpResponse:
        self.clock.move_to(SIGN_UP_AT)
        signed_up = self.teacher.post(
            reverse("signup"),
            {"username": "rivera", "password1": PASSWORD, "password2": PASSWORD, "is_teacher": "on"},
        )
        assert located(signed_up) == reverse("lessons:teacher_dashboard")
        return self.teacher.get(reverse("lessons:teacher_dashboard"))

    def teacher_creates_the_class(self) -> str:
        self.clock.move_to(SIGN_UP_AT + dt.timedelta(minutes=1))
        assert self.teacher.get(reverse("lessons:classroom_new")).status_code == 200
        detail = located(self.teacher.post(reverse("lessons:classroom_new"), {"name": "Civics 9B"}))
        self.classroom_id = resolve(detail).kwargs["classroom_id"]
        page = self.teacher.get(detail).content.decode()
        found = re.search(r'<p class="join-code"><code>([A-Z2-9]+)</code></p>', page)
        assert found, "the class page shows its join code"
        self.join_code = found.group(1)
        return page

    def teacher_assigns_the_first_lesson(self) -> str:
        self.clock.move_to(SIGN_UP_AT + dt.timedelta(minutes=2))
        url = reverse("lessons:assignment_new", args=[self.classroom_id])
        form = self.teacher.get(url).content.decode()
        lesson = re.search(rf'<option value="(\d+)">{re.escape(html.escape(LESSON_TITLE))}</option>', form)
        zone = re.search(r'name="tz" value="([^"]+)"', form)
        assert lesson and zone and zone.group(1) == "UTC"
        posted = self.teacher.post(
            url,
            {
                "lesson": lesson.group(1),
                "opens_at": "2025-03-03T09:00",
                "due_at": "2025-03-03T11:00",
                "tz": zone.group(1),
                "time_limit_minutes": "30",
                "attempts_allowed": "1",
                "feedback_release": "after_submit",
                "late_policy": "accept",
            },
        )
        detail = reverse("lessons:classroom_detail", args=[self.classroom_id])
        assert located(posted) == detail + "#assignments"
        page = self.teacher.get(detail).content.decode()
        assignment = re.search(r'<li class="card" id="assignment-(\d+)">', page)
        assert assignment
        self.assignment_id = int(assignment.group(1))
        return page

    def teacher_grades_the_open_answer(self, points: dict[str, int], comment: str) -> str:
        self.clock.move_to(GRADING_AT)
        queue = self.teacher.get(reverse("lessons:grading_queue", args=[self.assignment_id])).content.decode()
        response_id = re.search(r'<article class="grading-item" id="response-(\d+)"', queue)
        version = re.search(r'name="version" value="(\d+)"', queue)
        assert response_id and version
        graded = self.teacher.post(
            reverse("lessons:grade_response", args=[int(response_id.group(1))]),
            {"version": version.group(1), "comment": comment}
            | {f"criterion-{criterion}": str(given) for criterion, given in points.items()},
        )
        assert located(graded) == reverse("lessons:grading_queue", args=[self.assignment_id])
        return self.teacher.get(located(graded)).content.decode()

    def gradebook(self) -> str:
        page = self.teacher.get(reverse("lessons:gradebook", args=[self.classroom_id]))
        assert page.status_code == 200
        return page.content.decode()

    # The students ------------------------------------------------------------------------------------

    def students_join(self) -> None:
        self.clock.move_to(JOIN_AT)
        people = [("ana", "Ana", "Alves"), ("ben", "Ben", "Brown"), ("chloe", "Chloé", "Cruz")]
        # As typed: exactly, in lower case with a dash, and with spaces.
        code = self.join_code
        typed = [code, f"{code[:4]}-{code[4:]}".lower(), f" {code[:4]} {code[4:]} "]
        for (username, first, last), code_as_typed in zip(people, typed, strict=True):
            student = User.objects.create_user(username, password=PASSWORD, first_name=first, last_name=last)
            browser = Client()
            browser.force_login(student)
            joined = browser.post(reverse("lessons:join_class"), {"code": code_as_typed})
            assert located(joined) == reverse("lessons:my_classes")
            self.students[username] = browser

    def take_page(self, browser: Client) -> AnswerForms:
        page = browser.get(reverse("lessons:assignment_take", args=[self.assignment_id]))
        assert page.status_code == 200
        return AnswerForms(page.content.decode())

    def start(self, username: str) -> AnswerForms:
        browser = self.students[username]
        started = browser.post(reverse("lessons:assignment_take", args=[self.assignment_id]))
        assert located(started) == reverse("lessons:assignment_take", args=[self.assignment_id])
        return self.take_page(browser)

    def autosave(
        self, browser: Client, forms: AnswerForms, key: str, fields: dict[str, Any], *, sequence: int = 0
    ) -> HttpResponse:
        """Save one answer as the page's autosave does (htmx, into the question's save status), with the
        form's attempt token and its next sequence number unless `sequence` is given."""
        hidden = forms.hidden[key]
        return browser.post(
            reverse("lessons:assignment_save", args=[self.assignment_id, key]),
            {"attempt": hidden["attempt"], "sequence": str(sequence or hidden["sequence"])} | fields,
            headers=HTMX_AUTOSAVE | {"HX-Target": f"save-{key}"},
        )

    def saves(
        self, browser: Client, forms: AnswerForms, answers: dict[str, dict[str, Any]], at: dt.datetime
    ) -> None:
        """Autosave each answer, a minute apart from `at`; each is saved."""
        for minute, (key, fields) in enumerate(answers.items()):
            self.clock.move_to(at + dt.timedelta(minutes=minute))
            saved = self.autosave(browser, forms, key, fields)
            assert saved.status_code == 200, saved.content.decode()
            assert "Saved at" in saved.content.decode()

    def submit(self, browser: Client) -> str:
        """Submit from the take page's form and follow to the results; the results page."""
        take = browser.get(reverse("lessons:assignment_take", args=[self.assignment_id])).content.decode()
        form = take[take.index(reverse("lessons:assignment_submit", args=[self.assignment_id])) :]
        attempt = re.search(r'name="attempt" value="(\d+)"', form)
        assert attempt
        submitted = browser.post(
            reverse("lessons:assignment_submit", args=[self.assignment_id]), {"attempt": attempt.group(1)}
        )
        results = browser.get(located(submitted))
        assert results.status_code == 200
        return results.content.decode()

    # Stages -------------------------------------------------------------------------------------------

    def ana_works_on_two_browsers(self) -> tuple[AnswerForms, str]:
        """Ana saves on the laptop, resumes on the tablet, answers one more there and submits.
        Returns the tablet's take page as first opened, and her results page."""
        self.clock.move_to(ANA_STARTS)
        laptop = self.students["ana"]
        forms = self.start("ana")
        self.saves(laptop, forms, {k: v for k, v in ANA_ON_THE_LAPTOP.items() if k != "q10"}, at=ANA_STARTS)
        # Question 10: "false" (sequence 1), then "true" (2); the first request, retried late, is stale.
        self.clock.move_to(ANA_STARTS + dt.timedelta(minutes=7))
        first_thought, final = {"answer": "false"}, ANA_ON_THE_LAPTOP["q10"]
        assert self.autosave(laptop, forms, "q10", first_thought, sequence=1).status_code == 200
        assert self.autosave(laptop, forms, "q10", final, sequence=2).status_code == 200
        stale = self.autosave(laptop, forms, "q10", first_thought, sequence=1)
        assert stale.status_code == 200 and "A newer answer to this question" in stale.content.decode()

        self.clock.move_to(ANA_STARTS + dt.timedelta(minutes=12))
        tablet = Client()
        tablet.force_login(User.objects.get(username="ana"))
        on_the_tablet = self.take_page(tablet)
        self.saves(tablet, on_the_tablet, ANA_ON_THE_TABLET, at=ANA_STARTS + dt.timedelta(minutes=13))
        self.clock.move_to(ANA_STARTS + dt.timedelta(minutes=14))
        results = self.submit(tablet)
        return on_the_tablet, results

    def chloe_starts_and_leaves(self) -> None:
        self.clock.move_to(CHLOE_STARTS)
        forms = self.start("chloe")
        self.saves(self.students["chloe"], forms, CHLOE_SAVES, at=CHLOE_STARTS + dt.timedelta(minutes=1))

    def close_expired_attempts(self, at: dt.datetime) -> str:
        self.clock.move_to(at)
        out = io.StringIO()
        call_command("close_expired_attempts", stdout=out)
        return out.getvalue().strip()

    def ben_submits_late(self) -> str:
        self.clock.move_to(BEN_STARTS)
        forms = self.start("ben")
        self.saves(
            self.students["ben"], forms, BEN_BEFORE_THE_DUE_DATE, at=BEN_STARTS + dt.timedelta(minutes=1)
        )
        self.saves(self.students["ben"], forms, BEN_AFTER_THE_DUE_DATE, at=DUE_AT + dt.timedelta(minutes=1))
        self.clock.move_to(DUE_AT + dt.timedelta(minutes=4))
        return self.submit(self.students["ben"])


# ----------------------------------------------------------------------------------------------------
# The stages, each built on the ones before


@pytest.fixture
def clock(settings: Any) -> Iterator[time_machine.Coordinates]:
    # The teacher stays signed in across the morning's story (sign-up at 8:30, grading at 11:30): the
    # logout of an idle teacher is tested on its own (test_idle_sessions.py), not through this story.
    settings.TEACHER_IDLE_TIMEOUT = dt.timedelta(hours=8)
    with time_machine.travel(SIGN_UP_AT, tick=False) as traveller:
        yield traveller


@pytest.fixture
def story(clock: time_machine.Coordinates, first_lesson: Lesson) -> Story:
    return Story(clock)


@pytest.fixture
def assigned(story: Story) -> Story:
    story.teacher_signs_up()
    story.teacher_creates_the_class()
    story.teacher_assigns_the_first_lesson()
    return story


@pytest.fixture
def joined(assigned: Story) -> Story:
    assigned.students_join()
    return assigned


@pytest.fixture
def all_submitted(joined: Story) -> Story:
    joined.ana_works_on_two_browsers()
    joined.chloe_starts_and_leaves()
    joined.close_expired_attempts(CHLOE_DEADLINE + dt.timedelta(seconds=30))
    joined.ben_submits_late()
    return joined


ANA_GRADE = {"r1": 2, "r2": 1, "r3": 2}
ANA_COMMENT = "Good on the sourcing; say what *is* confirmed (the ratification, Zakharova)."


@pytest.fixture
def graded(all_submitted: Story) -> Story:
    all_submitted.teacher_grades_the_open_answer(ANA_GRADE, ANA_COMMENT)
    return all_submitted


# ----------------------------------------------------------------------------------------------------
# The tests


def test_a_teacher_signs_up_creates_a_class_and_assigns_the_first_lesson(story: Story) -> None:
    dashboard = story.teacher_signs_up()
    assert dashboard.status_code == 200

    class_page = story.teacher_creates_the_class()
    assert "<h1>Civics 9B</h1>" in class_page
    assert "No student has joined yet." in class_page

    class_page = story.teacher_assigns_the_first_lesson()
    card = class_page[class_page.index(f'id="assignment-{story.assignment_id}"') :]
    card = text_of(card[: card.index("</li>")])
    assert (
        f"{LESSON_TITLE} Opens March 3, 2025, 9 a.m. UTC Due March 3, 2025, 11 a.m. UTC "
        "Time limit 30 minutes Attempts allowed 1 Feedback and answers After submitting "
        "Late work Accepted and marked late Shuffled Nothing"
    ) in card


def test_three_students_join_with_the_code_on_the_class_page(assigned: Story) -> None:
    assigned.students_join()

    page = assigned.teacher.get(reverse("lessons:classroom_detail", args=[assigned.classroom_id]))
    assert '<h2 id="students-heading">3 students</h2>' in page.content.decode()
    roster = table_rows(page.content.decode(), "Students in this class")
    assert roster == [
        "Ana Alves ana March 3, 2025 Set accommodations of Ana Alves Remove Ana Alves",
        "Ben Brown ben March 3, 2025 Set accommodations of Ben Brown Remove Ben Brown",
        "Chloé Cruz chloe March 3, 2025 Set accommodations of Chloé Cruz Remove Chloé Cruz",
    ]
    for username in ("ana", "ben", "chloe"):
        classes = assigned.students[username].get(reverse("lessons:my_classes")).content.decode()
        assert "Civics 9B" in classes and LESSON_TITLE in classes


def test_ana_saves_on_one_browser_finds_her_answers_on_another_and_submits(joined: Story) -> None:
    on_the_tablet, results = joined.ana_works_on_two_browsers()

    # Every answer saved on the laptop is in the tablet's forms, question 10 as changed last (sequence 2,
    # the stale retry of sequence 1 ignored); the question she answers next is empty.
    shown = {key: on_the_tablet.answers[key] for key in ANA_ON_THE_LAPTOP}
    assert shown == {key: as_shown(fields) for key, fields in ANA_ON_THE_LAPTOP.items()}
    assert on_the_tablet.answers["q03"] == {}
    assert on_the_tablet.hidden["q10"]["sequence"] == "3"
    assert on_the_tablet.hidden["q03"]["sequence"] == "1"

    # Submitted: feedback after submitting, so the score shows at once; the open answer waits.
    assert "<strong>8</strong> of 47 points" in results
    assert "1 open answer is waiting for your teacher’s grade" in results
    attempt = Attempt.objects.get(learner__username="ana")
    assert (attempt.state, attempt.is_late, attempt.auto_submitted) == (AttemptState.SUBMITTED, False, False)
    assert attempt.submitted_at == ANA_STARTS + dt.timedelta(minutes=14)

    # The laptop, still open on the old page, can no longer change anything.
    laptop = joined.students["ana"]
    refused = joined.autosave(laptop, on_the_tablet, "q05", {"answer": "false"}, sequence=9)
    assert refused.status_code == 409
    assert "can no longer change" in refused.content.decode()


def test_chloes_attempt_left_open_is_submitted_by_the_command_after_its_deadline_and_grace(
    joined: Story,
) -> None:
    joined.chloe_starts_and_leaves()

    # 10:00:30 is the end of the grace period: not yet past it.
    assert joined.close_expired_attempts(CHLOE_DEADLINE) == "Submitted 0 expired attempts."
    assert joined.close_expired_attempts(CHLOE_DEADLINE + dt.timedelta(seconds=30)) == (
        "Submitted 1 expired attempt."
    )

    attempt = Attempt.objects.get(learner__username="chloe")
    assert attempt.state == AttemptState.SUBMITTED
    assert attempt.auto_submitted and not attempt.is_late
    assert attempt.submitted_at == CHLOE_DEADLINE + dt.timedelta(seconds=30)
    assert attempt.earned == Decimal("2.5")
    results = joined.students["chloe"].get(
        reverse("lessons:assignment_results_student", args=[joined.assignment_id])
    )
    assert "<strong>2.5</strong> of 47 points" in results.content.decode()


def test_ben_starts_before_the_due_date_submits_after_it_and_is_marked_late(joined: Story) -> None:
    results = joined.ben_submits_late()

    assert "<strong>5</strong> of 47 points" in results
    assert '<strong class="late-mark">late</strong>' in results
    attempt = Attempt.objects.get(learner__username="ben")
    assert attempt.is_late and not attempt.auto_submitted
    assert attempt.submitted_at == DUE_AT + dt.timedelta(minutes=4)


def test_the_teacher_grades_anas_open_answer_in_the_grading_queue(all_submitted: Story) -> None:
    before = table_rows(all_submitted.gradebook())
    assert before[0] == "Ana Alves ana 8/47 (17%) Needs grading"

    queue = all_submitted.teacher_grades_the_open_answer(ANA_GRADE, ANA_COMMENT)

    assert "Grade saved: 5 of 6 points." in queue
    assert "Nothing is waiting for a grade." in queue
    assert "Graded 5 of 6 points by rivera on 2025-03-03 11:30 UTC" in queue
    # Ana sees the grade and the comment.
    results = all_submitted.students["ana"].get(
        reverse("lessons:assignment_results_student", args=[all_submitted.assignment_id])
    )
    assert "<strong>13</strong> of 47 points" in results.content.decode()
    assert html.escape(ANA_COMMENT) in results.content.decode()


# Scores are out of 47 (every question's points plus its evidence part). Percentages are rounded.
GRADEBOOK = [
    "Ana Alves ana 13/47 (28%) Submitted",  # 8 machine-scored + 5 by the teacher; 13/47 = 27.7%
    "Ben Brown ben 5/47 (11%) Late",  # 1 + 1 + 2 + 1; submitted after the due date; 10.6%
    "Chloé Cruz chloe 2.5/47 (5%) Submitted",  # 1 + 1.5, submitted by the command; 5.3%
]
GRADEBOOK_CSV = (
    "\ufeff"
    f'Username,First name,Last name,"{LESSON_TITLE} (due 2025-03-03 11:00 UTC)","Status: {LESSON_TITLE}"\r\n'
    "ana,Ana,Alves,13.00/47.00,Submitted\r\n"
    "ben,Ben,Brown,5.00/47.00,Late\r\n"
    "chloe,Chloé,Cruz,2.50/47.00,Submitted\r\n"
).encode()


def test_the_gradebook_and_its_csv_show_each_students_status_and_score(graded: Story) -> None:
    assert table_rows(graded.gradebook()) == GRADEBOOK

    export = graded.teacher.get(reverse("lessons:gradebook_csv", args=[graded.classroom_id]))
    assert export.status_code == 200
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert export["Content-Disposition"] == 'attachment; filename="gradebook-civics-9b-2025-03-03.csv"'
    assert export.content == GRADEBOOK_CSV


def test_the_csv_gives_the_due_date_and_its_zone_like_the_gradebook_page(
    joined: Story, settings: Any
) -> None:
    settings.TIME_ZONE = "Pacific/Kiritimati"  # UTC+14: due 11:00 UTC is 01:00 on 4 March there

    assert "due 2025-03-04 01:00 +14" in text_of(joined.gradebook())
    export = joined.teacher.get(reverse("lessons:gradebook_csv", args=[joined.classroom_id]))
    header = export.content.decode("utf-8-sig").splitlines()[0]
    assert f"{LESSON_TITLE} (due 2025-03-04 01:00 +14)" in header  # in UTC: 2025-03-03 11:00


def test_a_fixed_key_and_a_regrade_change_exactly_the_scores_that_depend_on_it(
    graded: Story, first_lesson_data: dict[str, Any]
) -> None:
    graded.clock.move_to(REGRADE_AT)
    fixed = copy.deepcopy(first_lesson_data)
    question_10 = next(question for question in fixed["questions"] if question["id"] == "q10")
    question_10["answer"]["correct"] = True  # was False
    lesson = lesson_import(data=fixed, replace=True)
    assert lesson.published_revision is not None and lesson.published_revision.number == 2

    results_url = reverse("lessons:assignment_results", args=[graded.assignment_id])
    assert "Regrade against revision 2" in graded.teacher.get(results_url).content.decode()
    regraded = graded.teacher.post(
        reverse("lessons:regrade", args=[graded.assignment_id]), {"note": "Question 10: the key is True."}
    )
    assert regraded.status_code == 303 and regraded["Location"] == results_url + "#regrades"

    # Ana answered True (now right: +1), Ben False (now wrong: −1); Chloé did not answer question 10.
    # The teacher's 5 points for Ana's open answer are kept.
    changes = RegradeChange.objects.order_by("attempt__learner__username")
    assert [(c.attempt.learner.username, c.old_earned, c.new_earned) for c in changes] == [
        ("ana", Decimal("13"), Decimal("14")),
        ("ben", Decimal("5"), Decimal("4")),
    ]
    page = graded.teacher.get(results_url).content.decode()
    assert "Regraded against revision 2: 2 scores changed." in page
    assert table_rows(page, "Regrade by rivera on 2025-03-03 12:00 UTC, against revision 2") == [
        "Ana Alves Attempt 1 13 14",
        "Ben Brown Attempt 1 5 4",
    ]
    assert table_rows(graded.gradebook()) == [
        "Ana Alves ana 14/47 (30%) Submitted",  # 14/47 = 29.8%
        "Ben Brown ben 4/47 (9%) Late",  # 4/47 = 8.5%
        "Chloé Cruz chloe 2.5/47 (5%) Submitted",  # unchanged
    ]
    ana = graded.students["ana"].get(
        reverse("lessons:assignment_results_student", args=[graded.assignment_id])
    )
    assert "<strong>14</strong> of 47 points" in ana.content.decode()
