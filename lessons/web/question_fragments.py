"""The student-independent HTML of an assignment's questions: rendered once per process, filled in per page.

The take page of a class shows every student the same questions: the prompt, the form's inputs (every
article sentence of an evidence part a checkbox), the labels. Rendering them through the templates is most of
what the page costs, so each question's form is rendered once, blank, and kept (bounded, least recently used
first), keyed by everything its HTML depends on: the assignment (its URLs), the revision, the question, its
number and the order of its choices as this student sees them, and the language. Per page, only what is the
student's own is put in: the signed attempt token, the next save sequence, the CSRF token (as markers with a
per-process random name that no lesson text can contain), the saved answer (checked, selected and typed
values, set in the HTML as the kind's template would have set them), and the save status.

Only a question's *form* is kept: a question showing feedback (key material) is never kept, nor one showing
a refused answer. What is kept is built from the student view of the question (`StudentQuestionContent`)
and the assignment only, never from an attempt or a response. The article's sentences (with no evidence
marked, as the take page shows them) are kept the same way, by revision and language. Tests walk what is
kept for key material and compare every kind's page built from it with the page rendered without it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from lessons.kinds import get_kind
from lessons.kinds.forms import EVIDENCE, SentenceRef
from lessons.memory import BoundedCache
from lessons.selectors.player import QuestionSlot
from lessons.web.answer_forms import QuestionPanel, SaveState, answer_form

QUESTION_TEMPLATE = "lessons/partials/question.html"
STATUS_TEMPLATE = "lessons/classes/save_status.html"
ARTICLE_TEMPLATE = "lessons/partials/article_body.html"
SOURCING_TEMPLATE = "lessons/partials/aids/sourcing_note.html"
PROVENANCE_TEMPLATE = "lessons/partials/aids/provenance.html"
CARDS_TEMPLATE = "lessons/partials/aids/cards.html"
PROGRESS_TEMPLATE = "lessons/partials/progress.html"

# A school's day: a few dozen assignments of ~25 questions, a few orders each when choices are shuffled.
FRAGMENTS_KEPT = 4096

_NONCE = secrets.token_hex(12)
_AIDS_SEPARATOR = f"qs{_NONCE}aid"
TOKEN_MARK = f"qs{_NONCE}token"
SEQUENCE_MARK = f"qs{_NONCE}sequence"
CSRF_MARK = f"qs{_NONCE}csrf"
ATTEMPT_MARK = f"qs{_NONCE}attempt"
NUMBER_MARK = f"qs{_NONCE}number"
USER_MARK = f"qs{_NONCE}user"
# The parts of the take page that are the student's own, each rendered per page (`lessons/classes/take.html`).
PAGE_SLOTS = ("messages", "countdown", "progress", "sourcing_note", "provenance", "cards", "questions")
_PAGE_MARKS = re.compile(rf"qs{_NONCE}(csrf|attempt|number|user|slot_[a-z_]+)")

# Whole pages around the questions: one per assignment, revision, language and navigation (a few dozen a day).
PAGES_KEPT = 256


@dataclass(frozen=True)
class Fragment:
    html: str  # the question with a blank form, the markers in place of the student's values
    blank_status: str  # its save status as shown before any save, replaced when there is one


@dataclass(frozen=True)
class _MarkedSave:
    """A SaveState whose student values are markers (the template reads the same attributes)."""

    token: str = TOKEN_MARK
    next_sequence: str = SEQUENCE_MARK
    saved_at: None = None
    stored_sequence: int = 0
    final: bool = False


@dataclass(frozen=True)
class Shell:
    """A whole page with markers where the student's own values go."""

    html: str  # as rendered, the markers in place
    parts: tuple[str, ...]  # `html` split at its markers: text, a marker's name, text, …


_fragments: BoundedCache[tuple[Any, ...], Fragment] = BoundedCache(FRAGMENTS_KEPT)
_pages: BoundedCache[tuple[Any, ...], Shell] = BoundedCache(PAGES_KEPT)
_enabled = True


def keeping() -> bool:
    """Whether pages are built from what the process keeps (the tests turn it off to compare)."""
    return _enabled


def keepable(slot: QuestionSlot, *, save: SaveState, data: QueryDict | None) -> bool:
    """Whether an open question's HTML is the same for every student but for the values filled in per
    page: a form saved as it is given (not final once given), with no feedback, showing the saved answer
    `data` (form data) by what is checked, selected or typed in. (A refused answer's form is not.)"""
    kind = get_kind(slot.question["kind"])
    return (
        _enabled
        and not save.final
        and slot.answered is None
        and not (data and kind.shape.form_arranged_by_answer)
    )


def _order(slot: QuestionSlot) -> tuple[str, ...]:
    """The order of the question's shuffled list (choices or items) as this page shows it."""
    question = slot.question
    field = get_kind(question["kind"]).shape.shuffled
    entries: list[Any] = cast(dict[str, Any], question).get(field) or [] if field else []
    return tuple(str(entry.get("id", "")) if isinstance(entry, dict) else str(entry) for entry in entries)


def _key(slot: QuestionSlot, *, assignment_id: int, revision_id: int) -> tuple[Any, ...]:
    return (assignment_id, revision_id, slot.key, slot.number, _order(slot), get_language())


def _build(slot: QuestionSlot, sentences: list[SentenceRef], context: dict[str, Any]) -> Fragment:
    blank = QuestionPanel(
        slot=slot,
        form=answer_form(slot.question, sentences),
        save=_MarkedSave(),  # type: ignore[arg-type]
    )
    rendered = render_to_string(QUESTION_TEMPLATE, {**context, "panel": blank, "csrf_token": CSRF_MARK})
    status = render_to_string(
        STATUS_TEMPLATE,
        {"status_key": slot.key, "saved_at": None, "stored_sequence": 0, "problem": "", "closed": False},
    )
    return Fragment(rendered, status)


def question_html(
    slot: QuestionSlot,
    save: SaveState,
    sentences: list[SentenceRef],
    *,
    context: dict[str, Any],
    assignment_id: int,
    revision_id: int,
    data: QueryDict | None,
    csrf_token: str,
) -> SafeString:
    """A keepable question (`keepable`) as the take page shows it to this student: the kept HTML, filled
    in with the save state `save`, the saved answer `data` and the page's `csrf_token`.

    `context` holds what the question's template reads besides the panel, none of it the student's: the
    assignment, the lesson and the labels. `data` is the saved answer as form data (`saved_answer_data`).
    """
    key = _key(slot, assignment_id=assignment_id, revision_id=revision_id)
    fragment = _fragments.get_or_build(key, lambda: _build(slot, sentences, context))
    out = (
        fragment.html.replace(TOKEN_MARK, escape(save.token))
        .replace(SEQUENCE_MARK, str(save.next_sequence))
        .replace(CSRF_MARK, escape(csrf_token))
    )
    if data:
        out = fill_form(out, data)
    if save.saved_at is not None:
        out = out.replace(fragment.blank_status, _status(slot.key, save), 1)
    return mark_safe(out)  # noqa: S308 -- the template's own output, values escaped as it escapes them


# A saved status is kept with stand-ins for its time and sequence, which no question key holds.
_STATUS_TIME = dt.datetime(2001, 1, 1, 23, 59, 58, tzinfo=dt.UTC)
_STATUS_SEQUENCE = 987_654_321


def _status(key: str, save: SaveState) -> str:
    """The save status of a saved answer: kept per question and language with its time and sequence
    left out, which go in per page (formatted as the template's `time` filter formats them)."""
    assert save.saved_at is not None
    zone = timezone.get_current_timezone()

    def build() -> Fragment:
        shown_time = _STATUS_TIME.astimezone(zone).strftime("%H:%M:%S")  # as the filter's "H:i:s"
        html = _render_status(key, _STATUS_TIME, _STATUS_SEQUENCE)
        if html.count(shown_time) != 1 or html.count(str(_STATUS_SEQUENCE)) != 1:
            return Fragment("", "")  # a key holding a stand-in: rendered each time
        return Fragment(html, shown_time)

    kept = _fragments.get_or_build(("status", key, get_language(), str(zone)), build)
    if not kept.html:
        return _render_status(key, save.saved_at, save.stored_sequence)
    time = save.saved_at.astimezone(zone).strftime("%H:%M:%S")
    return kept.html.replace(kept.blank_status, time, 1).replace(
        str(_STATUS_SEQUENCE), str(save.stored_sequence), 1
    )


def _render_status(key: str, saved_at: dt.datetime, sequence: int) -> str:
    return render_to_string(
        STATUS_TEMPLATE,
        {
            "status_key": key,
            "saved_at": saved_at,
            "stored_sequence": sequence,
            "problem": "",
            "closed": False,
        },
    )


def article_html(page: Any, lesson: Any) -> SafeString:
    """The article's sentences as a page shows them with no evidence marked (the take page marks none):
    the same for every student of a revision, kept by revision and language."""
    if not _enabled:
        return mark_safe("")
    key = ("article", page.revision.pk, get_language())
    return mark_safe(  # noqa: S308 -- the template's own output
        _fragments.get_or_build(
            key,
            lambda: Fragment(render_to_string(ARTICLE_TEMPLATE, {"page": page, "lesson": lesson}), ""),
        ).html
    )


# ----------------------------------------------------------------------------------------------------
# The reading aids, and the whole take page around the questions


def aids_html(aids: Any, *, revision_id: int, labels: dict[str, Any]) -> tuple[str, str, str]:
    """The reading aids as the page shows them (the sourcing note, the provenance line, the cards): the
    same for every page showing the same aids the same way, kept by revision, language and what is shown
    (`ReadingAids` is built from the revision, the assignment's choices and the student's answered
    questions; its shown flags and choices are the key, so a page never gets aids it may not show)."""

    def build() -> Fragment:
        parts = (
            render_to_string(SOURCING_TEMPLATE, {"aids": aids, "oob": False}),
            render_to_string(PROVENANCE_TEMPLATE, {"aids": aids, "oob": False}),
            render_to_string(CARDS_TEMPLATE, {"aids": aids, **labels}),
        )
        return Fragment(_AIDS_SEPARATOR.join(parts), "")

    if not _enabled:
        return cast(tuple[str, str, str], tuple(build().html.split(_AIDS_SEPARATOR)))
    key = (
        "aids",
        revision_id,
        get_language(),
        tuple(sorted(aids.choices.items())),
        aids.sourcing_note_shown,
        aids.provenance_shown,
        tuple((card.id, card.shown, card.visibility) for card in aids.actor_cards),
        tuple((card.id, card.shown, card.visibility) for card in aids.treaty_cards),
    )
    return cast(tuple[str, str, str], tuple(_fragments.get_or_build(key, build).html.split(_AIDS_SEPARATOR)))


def progress_html(progress: Any) -> str:
    """The count of questions answered (`lessons/partials/progress.html`), kept by count and language."""
    context = {"progress": progress, "oob": False}
    if not _enabled:
        return render_to_string(PROGRESS_TEMPLATE, context)
    key = ("progress", progress.answered, progress.total, get_language())
    return _fragments.get_or_build(
        key, lambda: Fragment(render_to_string(PROGRESS_TEMPLATE, context), "")
    ).html


def page_markers() -> dict[str, Any]:
    """What the take page's template reads of the student, as markers: the page kept is rendered with
    them, and `page_html` puts the student's values in their place."""
    return {
        "csrf_token": CSRF_MARK,
        "attempt": {"pk": ATTEMPT_MARK, "number": NUMBER_MARK, "is_open": True},
        "user": {"is_authenticated": True, "get_username": USER_MARK},
        "slots": {name: mark_safe(f"qs{_NONCE}slot_{name}") for name in PAGE_SLOTS},  # noqa: S308
    }


def page_html(
    key: tuple[Any, ...],
    template: str,
    context: Callable[[], dict[str, Any]],
    *,
    csrf_token: str,
    attempt_id: int,
    attempt_number: int,
    username: str,
    slots: dict[str, str],
) -> str:
    """The page `template` kept under `key` (rendered once with `context()`, which holds `page_markers()`
    and nothing else of a student), with this student's values in place of the markers.

    `key` holds everything the page's HTML depends on besides the markers."""

    def build() -> Shell:
        html = render_to_string(template, context())
        return Shell(html, tuple(_PAGE_MARKS.split(html)))

    shell = _pages.get_or_build(key, build)
    values = {
        "csrf": escape(csrf_token),
        "attempt": str(attempt_id),
        "number": str(attempt_number),
        "user": escape(username),
        **{f"slot_{name}": value for name, value in slots.items()},
    }
    return "".join(values[part] if odd else part for odd, part in _alternating(shell.parts))


def _alternating(parts: tuple[str, ...]) -> Iterator[tuple[int, str]]:
    odd = 0
    for part in parts:
        yield odd, part
        odd ^= 1


# ----------------------------------------------------------------------------------------------------
# A blank form's HTML filled with form data, as the forms' templates fill it


_CONTROL = re.compile(r"<textarea\b([^>]*)>(.*?)</textarea>|<(input|select|option)\b([^>]*)>", re.S)
_NAME = re.compile(r'\sname="([^"]*)"')
_TYPE = re.compile(r'\stype="([^"]*)"')
_VALUE = re.compile(r'\svalue="([^"]*)"')
_EVIDENCE_PART = '<details class="evidence-part">'


def fill_form(fragment: str, data: QueryDict) -> str:
    """`fragment` with its inputs showing `data`: radios and checkboxes checked and options selected for the
    values sent under their name (and only those), text inputs and text areas holding the value sent; the
    evidence part open when a sentence is picked. Controls whose name `data` does not hold keep the blank
    form's state."""
    select_name: list[str | None] = [None]

    def attribute(pattern: re.Pattern[str], raw: str) -> str | None:
        found = pattern.search(raw)
        return html.unescape(found.group(1)) if found else None

    def one(match: re.Match[str]) -> str:
        if match.group(1) is not None:  # a textarea
            name = attribute(_NAME, match.group(1))
            if name is None or name not in data:
                return match.group(0)
            return f"<textarea{match.group(1)}>{escape(data[name])}</textarea>"
        tag, raw = match.group(3), match.group(4)
        if tag == "select":
            select_name[0] = attribute(_NAME, raw)
            return match.group(0)
        if tag == "option":
            name, mark = select_name[0], "selected"
        else:
            kind = attribute(_TYPE, raw)
            name = attribute(_NAME, raw)
            if kind == "text":
                if name is None or name not in data:
                    return match.group(0)
                value = f' value="{escape(data[name])}"'
                return f"<input{_VALUE.sub(lambda _m: value, raw, count=1)}>"
            if kind not in ("radio", "checkbox"):
                return match.group(0)
            mark = "checked"
        if name is None or name not in data:
            return match.group(0)
        raw = re.sub(rf"\s{mark}(?=[\s/]|$)", "", raw)  # whatever the blank form had chosen
        found = _VALUE.search(raw)
        if found is not None and html.unescape(found.group(1)) in data.getlist(name):
            raw = f"{raw[: found.end()]} {mark}{raw[found.end() :]}"
        return f"<{tag}{raw}>"

    filled = _CONTROL.sub(one, fragment)
    if data.getlist(EVIDENCE):
        filled = filled.replace(_EVIDENCE_PART, '<details class="evidence-part" open>', 1)
    return filled


# ----------------------------------------------------------------------------------------------------
# For the tests


def kept_fragments() -> list[str]:
    """The HTML this process keeps (the tests walk it for key material): question forms, articles and
    reading aids, then whole pages."""
    return [fragment.html for fragment in _fragments.values()] + kept_pages()


def kept_pages() -> list[str]:
    return [shell.html for shell in _pages.values()]


def forget_question_fragments() -> None:
    _fragments.clear()
    _pages.clear()


def keep_question_fragments(enabled: bool) -> None:
    """Turns keeping on or off (the tests compare pages built both ways)."""
    global _enabled
    _enabled = enabled
    forget_question_fragments()
