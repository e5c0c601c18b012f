"""Which published lessons a user may see, and a revision as a student may see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.db.models import Exists, Q, QuerySet

from lessons.content_types import (
    ActorContent,
    ArticleContent,
    LessonInfoContent,
    QuestionContent,
    SourceContent,
    StudentQuestionContent,
    TreatyContent,
)
from lessons.kinds import get_kind
from lessons.models import TEACHERS_GROUP, Lesson, LessonStatus, Revision, TeacherProfile, Visibility
from lessons.partial_dates import format_partial_date
from lessons.vocabulary import STANDING_DEFINITIONS, Standing

# Fields of a question a student may see before answering. Everything else (the `answer` block) is key
# material: listing what is allowed, rather than removing what is not, keeps a new key field private.
STUDENT_QUESTION_FIELDS = (
    "id",
    "kind",
    "focus",
    "prompt",
    "points",
    "actors",
    "treaties",
    "claims",
    "options",
    "items",
    "evidence_part",
)


def visible_lessons_q(user: AbstractBaseUser | AnonymousUser) -> Q:
    """Public lessons, the user's own, and for verified teachers and superusers those shared with teachers
    (DESIGN.md rule 12: an unverified teacher, staff or not, does not see them).

    Teacher membership and verification are subqueries of the same statement, so the check costs no query
    of its own; `services.classroom.teacher_is_verified` is the same rule for one user.
    """
    visible = Q(visibility=Visibility.PUBLIC)
    if user.is_authenticated:
        visible |= Q(owner_id=user.pk)
        if getattr(user, "is_superuser", False):
            visible |= Q(visibility=Visibility.TEACHERS)
        else:
            in_teachers = Group.objects.filter(name=TEACHERS_GROUP, user__pk=user.pk)
            verified = TeacherProfile.objects.filter(user_id=user.pk, verified_at__isnull=False)
            visible |= Q(Exists(in_teachers), Exists(verified), visibility=Visibility.TEACHERS)
    return visible


def assignable_lessons(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Lesson]:
    """Published lessons a teacher may give to a class: those the teacher can see."""
    return Lesson.objects.filter(
        visible_lessons_q(user),
        status=LessonStatus.PUBLISHED,
        published_revision__isnull=False,
        archived_at__isnull=True,
    ).order_by("title", "pk")


def published_lessons_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Lesson]:
    """The catalogue's lessons: published, visible to `user`, not archived (an archived lesson's
    assignments reach their revision directly and keep working)."""
    return (
        Lesson.objects.filter(
            visible_lessons_q(user), status=LessonStatus.PUBLISHED, archived_at__isnull=True
        )
        .select_related("article", "article__source")
        .order_by("title")
    )


def published_revision_for(user: AbstractBaseUser | AnonymousUser, *, slug: str) -> Revision | None:
    """The revision a user may take of the lesson `slug`; None when it is unknown, unpublished or hidden."""
    lesson = published_lessons_for(user).select_related("published_revision").filter(slug=slug).first()
    if lesson is None or lesson.published_revision is None:
        return None
    revision = lesson.published_revision
    revision.lesson = lesson
    return revision


@dataclass(frozen=True)
class StudentLessonView:
    """A revision with every piece of key material left out."""

    lesson: LessonInfoContent
    article: ArticleContent
    actors: list[ActorContent]
    treaties: list[TreatyContent]
    sources: list[SourceContent]
    questions: list[StudentQuestionContent]

    @property
    def actors_by_id(self) -> dict[str, ActorContent]:
        return {actor["id"]: actor for actor in self.actors}


@dataclass(frozen=True)
class Provenance:
    """Where the article comes from, saying only what its record says. Each part is content in the lesson's
    language, shown after a label of the interface's, so no interface sentence wraps it in its grammar."""

    retold_from: str  # a retelling: the headline of the report it retells
    rests_on: str  # what that report (or the article) rests on
    publisher: str  # original reporting: who published it
    published: str  # and when, for people ("" when not known)

    def __bool__(self) -> bool:
        return bool(self.retold_from or self.rests_on or self.publisher)


def provenance_of(article: ArticleContent, sources: list[SourceContent]) -> Provenance:
    """A retelling names the report it retells and what that rests on; original reporting names its publisher
    and date, when the record has them; a record with none of these has no provenance line."""
    original, basis = article["original_headline"], article["rests_on"]
    if original or basis:
        return Provenance(retold_from=original, rests_on=basis, publisher="", published="")
    publisher = next((source["name"] for source in sources if source["id"] == article["source"]), "")
    published = format_partial_date(article["published_on"]) if publisher else ""
    return Provenance(retold_from="", rests_on="", publisher=publisher, published=published)


def student_question(question: QuestionContent, seed: str = "") -> StudentQuestionContent:
    """A question with its key material left out; its kind adds anything a student needs to answer, and
    shows any list whose arrangement is the answer in an order of *seed*'s that never is the key's."""
    kind = get_kind(question["kind"])
    shown = {field: question[field] for field in STUDENT_QUESTION_FIELDS}  # type: ignore[literal-required]
    shown |= kind.student_fields(question) | kind.presented_fields(question, seed)
    return cast(StudentQuestionContent, shown)


def student_view_of(revision: Revision, seed: str = "") -> StudentLessonView:
    """The revision as a student sees it. *seed* (an attempt's: ``policy.presentation_seed``) fixes the
    order of lists shown against their key; without one, the lesson's own fixed order is used."""
    content = revision.document
    questions = [student_question(question, seed) for question in content["questions"]]
    featured_actors = set(content["lesson"]["actors"])
    featured_treaties = set(content["lesson"]["treaties"])
    return StudentLessonView(
        lesson=content["lesson"],
        article=content["article"],
        actors=[actor for actor in content["actors"] if actor["id"] in featured_actors],
        treaties=[treaty for treaty in content["treaties"] if treaty["id"] in featured_treaties],
        sources=content["sources"],
        questions=questions,
    )


@dataclass(frozen=True)
class GlossaryEntry:
    value: str  # the standing as a lesson file stores it; the page's anchor is `standing-<value>`
    label: str
    definition: str


def standings_glossary() -> list[GlossaryEntry]:
    """Every standing of a claim with its definition, in the order of certainty, in the active language."""
    return [
        GlossaryEntry(standing.value, str(standing.label), str(STANDING_DEFINITIONS[standing]))
        for standing in Standing
    ]
