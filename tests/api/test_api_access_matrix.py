"""Who may call what: every endpoint × anonymous / learner / student / student of another class / teacher /
teacher of another class / co-teacher / read-only token / revoked token. Something out of a caller's reach
is a 404 (its existence does not leak); no credentials a 401; wrong credentials a 401 even where anonymous
reading is allowed; a read-only token's write a 403."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from api_support import Api, MakeApi, error_of
from django.contrib.auth.models import User
from django.utils import timezone
from factories.attempts import AssignmentAttemptFactory
from factories.classroom import join

from lessons.models import ApiToken, Assignment, Claim, Lesson, ReviewItem
from lessons.services import response_save, self_study_attempt_open
from lessons.services.api_tokens import token_create, token_revoke
from lessons.services.attempts import revision_questions
from lessons.services.authoring import co_author_add
from lessons.services.classroom import classroom_add_coteacher

ACTORS = [
    "anonymous",
    "learner",
    "student",
    "other_student",
    "teacher",
    "other_teacher",
    "co_teacher",
    "read_only",
    "revoked",
]


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    # "grade": the grade of the open answer; "claim", "article": the lesson's own, sent back (see `world`)
    body: dict[str, Any] | str | None
    expected: tuple[int, ...]  # one status per actor, in the order of ACTORS


# A class's teacher and co-teacher only; anyone else a 404; a read-only token's write a 403.
TEACHES_READ = (401, 404, 404, 404, 200, 404, 200, 404, 401)
TEACHES_WRITE = (401, 404, 404, 404, 200, 404, 200, 403, 401)
TEACHES_CREATE = (401, 404, 404, 404, 201, 404, 201, 403, 401)
TEACHES_DELETE = (401, 404, 404, 404, 204, 404, 204, 403, 401)
# A lesson's owner (the teacher) and co-author (the co-teacher) only; anyone else a 404.
AUTHORS_READ = (401, 404, 404, 404, 200, 404, 200, 404, 401)
AUTHORS_WRITE = (401, 404, 404, 404, 200, 404, 200, 403, 401)
AUTHORS_CREATE = (401, 404, 404, 404, 201, 404, 201, 403, 401)
AUTHORS_DELETE = (401, 404, 404, 404, 204, 404, 204, 403, 401)
# A body that is not one (a question, a file): refused (400) for its authors; anyone else a 404.
AUTHORS_REFUSED = (401, 404, 404, 404, 400, 404, 400, 403, 401)
# Any teacher; anyone else a 404 (the read-only token is a student's).
TEACHERS_READ = (401, 404, 404, 404, 200, 200, 200, 404, 401)

# Anyone signed in (a read-only token's write a 403).
SIGNED_IN = (401, 200, 200, 200, 200, 200, 200, 200, 401)
SIGNED_IN_WRITE = (401, 200, 200, 200, 200, 200, 200, 403, 401)

# In the order they are called: a write comes after the reads it would change.
CALLS = [
    Call("get", "me/", None, (401, 200, 200, 200, 200, 200, 200, 200, 401)),
    Call("get", "lessons/", None, (200, 200, 200, 200, 200, 200, 200, 200, 401)),
    Call("get", "standings/", None, (200, 200, 200, 200, 200, 200, 200, 200, 401)),
    # The profile page: anyone signed in, for themselves.
    Call("get", "me/time-zone/", None, SIGNED_IN),
    Call("put", "me/time-zone/", {"time_zone": "Europe/Madrid"}, SIGNED_IN_WRITE),
    Call("get", "me/tokens/", None, SIGNED_IN),
    Call("post", "me/tokens/", {"name": "another"}, (401, 201, 201, 201, 201, 201, 201, 403, 401)),
    # The teacher's spare token: theirs alone to revoke.
    Call("delete", "me/tokens/{token}/", None, (401, 404, 404, 404, 204, 404, 404, 403, 401)),
    # A verified teacher invites; a link that is not one is refused (400) to anyone signed in.
    Call("post", "teach/invitations/", None, (401, 404, 404, 404, 201, 201, 201, 403, 401)),
    Call("post", "invitations/{invitation}/accept/", None, (401, 400, 400, 400, 400, 400, 400, 403, 401)),
    # The learner's own self-study attempt; progress about one actor or treaty, for anyone signed in.
    Call("get", "self-study/attempts/{self_attempt}/", None, (401, 200, 404, 404, 404, 404, 404, 404, 401)),
    Call("get", "progress/actors/{actor_slug}/", None, SIGNED_IN),
    Call("get", "progress/treaties/{treaty_slug}/", None, SIGNED_IN),
    Call("get", "lessons/{slug}/", None, (200, 200, 200, 200, 200, 200, 200, 200, 401)),
    # The student's assignment of the lesson holds its self-study (409) until their results are out.
    Call("get", "lessons/{slug}/self-study/", None, (401, 200, 409, 200, 200, 200, 200, 409, 401)),
    Call(
        "post",
        "lessons/{slug}/self-study/answers/q01/",
        {"answer": "a"},
        (401, 200, 409, 200, 200, 200, 200, 403, 401),
    ),
    Call("post", "lessons/{slug}/self-study/finish/", None, (401, 200, 409, 200, 200, 200, 200, 403, 401)),
    Call("get", "review/", None, (401, 200, 200, 200, 200, 200, 200, 200, 401)),
    # The learner's own review item is not due yet (409, see `world`); anyone else's is not theirs (404).
    Call("post", "review/{item}/answer/", {"answer": "a"}, (401, 409, 404, 404, 404, 404, 404, 403, 401)),
    Call("get", "progress/", None, (401, 200, 200, 200, 200, 200, 200, 200, 401)),
    Call("post", "classes/join/", {"code": "ZZZZ-ZZZZ"}, (401, 400, 400, 400, 400, 400, 400, 403, 401)),
    Call("get", "classes/", None, SIGNED_IN),
    Call("get", "assignments/", None, (401, 200, 200, 200, 200, 200, 200, 200, 401)),
    Call("get", "assignments/{assignment}/", None, (401, 404, 200, 404, 404, 404, 404, 200, 401)),
    Call("post", "assignments/{assignment}/attempts/", None, (401, 404, 200, 404, 404, 404, 404, 403, 401)),
    Call("get", "attempts/{attempt}/", None, (401, 404, 200, 404, 404, 404, 404, 200, 401)),
    Call(
        "put",
        "attempts/{attempt}/answers/q01/",
        {"answer": "a", "sequence": 1},
        (401, 404, 200, 404, 404, 404, 404, 403, 401),
    ),
    Call("get", "attempts/{attempt}/results/", None, (401, 404, 409, 404, 404, 404, 404, 409, 401)),
    # A teacher's side: only a teacher of the class (404 for anyone else, as on the pages).
    Call("get", "teach/classes/", None, (401, 404, 404, 404, 200, 200, 200, 404, 401)),
    Call("get", "teach/classes/{classroom}/gradebook/", None, TEACHES_READ),
    Call("get", "teach/classes/{classroom}/", None, TEACHES_READ),
    Call("get", "teach/classes/{classroom}/assignments/", None, TEACHES_READ),
    Call("get", "teach/classes/{classroom}/gradebook.csv", None, TEACHES_READ),
    Call("get", "teach/assignments/{assignment}/", None, TEACHES_READ),
    Call("get", "teach/assignments/{assignment}/grading/", None, TEACHES_READ),
    Call("get", "teach/assignments/{assignment}/analysis/", None, TEACHES_READ),
    Call("get", "teach/classes/{classroom}/students/{student}/report/", None, TEACHES_READ),
    Call("get", "teach/classes/{classroom}/students/{student}/accommodations/", None, TEACHES_READ),
    Call("get", "teach/attempts/{attempt}/", None, TEACHES_READ),
    # The class is linked to no LMS course: its teachers are told so (409).
    Call(
        "post", "teach/classes/{classroom}/lti-roster/", None, (401, 404, 404, 404, 409, 404, 409, 403, 401)
    ),
    # An author's side: anyone signed in has a list of their own; a lesson only its authors.
    Call("get", "author/lessons/", None, (401, 200, 200, 200, 200, 200, 200, 200, 401)),
    Call("get", "author/lessons/{slug}/", None, AUTHORS_READ),
    Call("get", "author/lessons/{slug}/revisions/", None, AUTHORS_READ),
    Call("get", "author/lessons/{slug}/revisions/{number}/", None, AUTHORS_READ),
    Call("get", "author/lessons/{slug}/revisions/{old}/changes/{new}/", None, AUTHORS_READ),
    Call("get", "author/lessons/{slug}/file/", None, AUTHORS_READ),
    Call("get", "author/lessons/{slug}/questions/", None, AUTHORS_READ),
    Call("get", "author/lessons/{slug}/questions/q01/", None, AUTHORS_READ),
    Call("get", "author/lessons/{slug}/export/", None, AUTHORS_READ),
    Call("get", "author/lessons/{slug}/export/gift/", None, AUTHORS_READ),
    # A lesson file that is not one: refused (400) for a teacher; a non-teacher or non-author is a 404.
    Call("post", "author/lessons/import/", {}, (401, 404, 404, 404, 400, 400, 400, 403, 401)),
    Call("put", "author/lessons/{slug}/file/", {}, (401, 404, 404, 404, 400, 404, 400, 403, 401)),
    Call("post", "author/lessons/import-questions/", {}, (401, 404, 404, 404, 400, 400, 400, 403, 401)),
    Call("post", "author/lessons/{slug}/questions/", {}, AUTHORS_REFUSED),
    Call("put", "author/lessons/{slug}/questions/q01/", {}, AUTHORS_REFUSED),
    # The preview grades a trial answer and stores nothing; a read-only token may not send it (a POST).
    Call("post", "author/lessons/{slug}/preview/q01/", {"answer": "a"}, AUTHORS_WRITE),
    # A teacher's changes: any teacher makes a class; only a teacher of this one changes it.
    Call("post", "teach/classes/", {"name": "Art 7A"}, (401, 404, 404, 404, 201, 201, 201, 403, 401)),
    Call("post", "teach/classes/{classroom}/code/", {"action": "rotate"}, TEACHES_WRITE),
    Call("post", "teach/classes/{classroom}/coteachers/", {"username": "okafor"}, TEACHES_CREATE),
    Call("post", "teach/classes/{classroom}/students/", {"names": "Ana,García"}, TEACHES_CREATE),
    Call(
        "put",
        "teach/classes/{classroom}/students/{student}/extra-time/",
        {"time_multiplier": "1.5"},
        TEACHES_WRITE,
    ),
    Call(
        "post",
        "teach/classes/{classroom}/assignments/",
        {"lesson": "{slug}", "opens_at": "2030-01-01T08:00:00Z", "due_at": "2030-01-08T08:00:00Z"},
        TEACHES_CREATE,
    ),
    Call(
        "put",
        "teach/assignments/{assignment}/extensions/{student}/",
        {"due_at": "2199-01-01T08:00:00Z"},
        TEACHES_WRITE,
    ),
    Call("delete", "teach/assignments/{assignment}/extensions/{student}/", None, TEACHES_DELETE),
    Call("patch", "teach/assignments/{assignment}/", {"late_policy": "accept"}, TEACHES_WRITE),
    Call("put", "teach/responses/{response}/grade/", "grade", TEACHES_WRITE),
    Call("post", "teach/assignments/{assignment}/release/", None, TEACHES_WRITE),
    Call("post", "teach/assignments/{assignment}/regrade/", {"note": "Key checked."}, TEACHES_WRITE),
    Call("post", "attempts/{attempt}/submit/", None, (401, 404, 200, 404, 404, 404, 404, 403, 401)),
    Call("delete", "teach/classes/{classroom}/students/{other}/", None, TEACHES_DELETE),
    Call("delete", "teach/classes/{classroom}/coteachers/{co_teacher}/", None, TEACHES_DELETE),
    Call("post", "teach/classes/{classroom}/archive/", None, (401, 404, 404, 404, 200, 404, 404, 403, 401)),
    # An author's changes, last: its authors only (the lesson is whole: publishing keeps its revision).
    Call("post", "author/lessons/{slug}/questions/q01/move/", {"direction": "down"}, AUTHORS_WRITE),
    Call("post", "author/lessons/{slug}/questions/q01/duplicate/", None, AUTHORS_CREATE),
    Call("delete", "author/lessons/{slug}/questions/{copy}/", None, AUTHORS_DELETE),
    Call("post", "author/lessons/{slug}/publish/", None, AUTHORS_WRITE),
    Call("post", "author/lessons/{slug}/duplicate/", None, (401, 404, 404, 404, 201, 404, 201, 403, 401)),
    Call("post", "author/lessons/{slug}/archive/", {"archived": True}, AUTHORS_WRITE),
    # A lesson's own parts: its authors read and change them; anyone else a 404.
    Call("get", "author/lessons/{slug}/overview/", None, AUTHORS_READ),
    Call("get", "author/lessons/{slug}/article/", None, AUTHORS_READ),
    Call("get", "author/lessons/{slug}/actors/", None, AUTHORS_READ),
    Call("get", "author/lessons/{slug}/actors/{actor}/", None, AUTHORS_READ),
    Call("get", "author/lessons/{slug}/treaties/", None, AUTHORS_READ),
    Call("get", "author/lessons/{slug}/treaties/{treaty}/", None, AUTHORS_READ),
    Call("get", "author/lessons/{slug}/names/", None, AUTHORS_READ),
    Call("get", "author/lessons/{slug}/claims/", None, AUTHORS_READ),
    Call("get", "author/lessons/{slug}/claims/{claim}/", None, AUTHORS_READ),
    Call("get", "author/lessons/{slug}/settings/", None, AUTHORS_READ),
    Call("patch", "author/lessons/{slug}/settings/", {"estimated_minutes": 30}, AUTHORS_WRITE),
    Call("put", "author/lessons/{slug}/actors/{actor}/", {"role": "", "description": ""}, AUTHORS_WRITE),
    Call("put", "author/lessons/{slug}/treaties/{treaty}/", {"status": "", "summary": ""}, AUTHORS_WRITE),
    Call("post", "author/lessons/{slug}/actors/", {"actor": "{actor}"}, AUTHORS_CREATE),
    Call("post", "author/lessons/{slug}/treaties/", {"treaty": "{treaty}"}, AUTHORS_CREATE),
    Call("post", "author/lessons/{slug}/claims/", "claim", AUTHORS_CREATE),
    Call("put", "author/lessons/{slug}/claims/{claim}/", "claim", AUTHORS_WRITE),
    # A claim a question asks about cannot go (409) for its authors.
    Call(
        "delete", "author/lessons/{slug}/claims/{claim}/", None, (401, 404, 404, 404, 409, 404, 409, 403, 401)
    ),
    # The article is rewritten (its own, unchanged) by its authors.
    Call("put", "author/lessons/{slug}/article/", "article", AUTHORS_WRITE),
    # A new lesson and the shared records it picks from: teachers only.
    Call("post", "author/sentences/", {"text": "One. Two."}, (401, 404, 404, 404, 200, 200, 200, 403, 401)),
    Call("get", "author/actors/", None, TEACHERS_READ),
    Call("get", "author/treaties/", None, TEACHERS_READ),
    Call("get", "author/sources/", None, TEACHERS_READ),
    Call(
        "post",
        "author/lessons/from-article/",
        {"article": {"headline": "Ships", "new_source_name": "The Times"}, "text": "Ships sailed."},
        (401, 404, 404, 404, 201, 201, 201, 403, 401),
    ),
    # Co-authors: both authors see them; only the owner (the teacher) chooses them (the co-author: 404).
    Call("get", "author/lessons/{slug}/coauthors/", None, AUTHORS_READ),
    Call(
        "post",
        "author/lessons/{slug}/coauthors/",
        {"username": "mendes"},
        (401, 404, 404, 404, 201, 404, 404, 403, 401),
    ),
    Call(
        "delete",
        "author/lessons/{slug}/coauthors/{co_teacher}/",
        None,
        (401, 404, 404, 404, 204, 404, 404, 403, 401),
    ),
]


def test_every_api_route_is_in_the_matrix() -> None:
    from lessons.api.urls import urlpatterns

    routes = {str(pattern.pattern).removeprefix("<version>/") for pattern in urlpatterns}
    routes -= {"schema/", "docs/"}
    covered = {
        call.path.replace("{actor_slug}", "<slug:slug>")
        .replace("{treaty_slug}", "<slug:slug>")
        .replace("{self_attempt}", "<int:attempt_id>")
        .replace("{token}", "<int:token_id>")
        .replace("{invitation}", "<str:token>")
        .replace("{slug}", "<slug:slug>")
        .replace("{item}", "<int:item_id>")
        .replace("{assignment}", "<int:assignment_id>")
        .replace("{attempt}", "<int:attempt_id>")
        .replace("{classroom}", "<int:classroom_id>")
        .replace("{student}", "<int:student_id>")
        .replace("{other}", "<int:student_id>")
        .replace("coauthors/{co_teacher}", "coauthors/<int:user_id>")
        .replace("{co_teacher}", "<int:teacher_id>")
        .replace("{response}", "<int:response_id>")
        .replace("{number}", "<int:number>")
        .replace("{old}", "<int:old>")
        .replace("{new}", "<int:new>")
        .replace("{actor}", "<slug:actor>")
        .replace("{treaty}", "<slug:treaty>")
        .replace("{claim}", "<slug:claim>")
        .replace("q01/", "<slug:question_key>/")
        .replace("{copy}", "<slug:question_key>")
        .replace("export/gift/", "export/<slug:file_format>/")
        for call in CALLS
    }
    assert routes == covered


def claim_body(lesson: Lesson) -> dict[str, Any]:
    """The lesson's claim that a question asks about, as the API takes it back unchanged."""
    claim = Claim.objects.filter(questions__lesson=lesson).order_by("key")[0]
    return {
        "statement": claim.statement,
        "asserted_by": claim.asserted_by.slug if claim.asserted_by else None,
        "via": [link.source.slug for link in claim.source_chain.order_by("position")],
        "standing": claim.standing,
        "evidence": list(claim.evidence.values_list("key", flat=True)),
        "counter_claims": list(claim.counter_claims.values_list("key", flat=True)),
        "note": claim.note,
    }


def article_body(lesson: Lesson) -> dict[str, Any]:
    """The lesson's article as the API takes it back unchanged (every sentence keeps its id)."""
    article = lesson.article
    paragraphs: dict[int, list[str]] = {}
    for sentence in article.sentences.order_by("position"):
        paragraphs.setdefault(sentence.paragraph, []).append(sentence.text)
    return {
        "headline": article.headline,
        "source": article.source.slug,
        "published_on": article.published_on or "",
        "url": article.url,
        "original_headline": article.original_headline,
        "rests_on": article.rests_on,
        "paragraphs": list(paragraphs.values()),
    }


@pytest.fixture
def world(
    make_api: MakeApi,
    learner: User,
    class_student: User,
    other_student: User,
    other_classroom: Any,
    teacher: User,
    other_teacher: User,
    make_user: Any,
    assignment: Assignment,
    first_lesson: Lesson,
) -> dict[str, Any]:
    """The learner's review item (a missed question), the student's attempt in progress, and a client
    per actor."""
    attempt = self_study_attempt_open(learner=learner, revision=first_lesson.published_revision)
    response_save(learner=learner, attempt=attempt, question_key="q04", answer="a")
    # A missed question is due at once; this one is moved a day on, so answering it is a state conflict.
    ReviewItem.objects.filter(learner=learner).update(due=timezone.now() + dt.timedelta(days=1))
    class_attempt = AssignmentAttemptFactory(assignment=assignment, student=class_student)
    co_teacher = make_user("mendes", teacher=True)
    classroom_add_coteacher(classroom=assignment.classroom, teacher=teacher, username="mendes")
    # The teacher owns the lesson, and the co-teacher co-authors it.
    Lesson.objects.filter(pk=first_lesson.pk).update(owner=teacher)
    co_author_add(lesson=Lesson.objects.get(pk=first_lesson.pk), by=teacher, username="mendes")
    # Another student of the class, whose submitted open answer waits for a grade (and who is removed).
    noor = make_user("noor")
    join(noor, assignment.classroom)
    graded = AssignmentAttemptFactory(
        assignment=assignment, student=noor, answers={"q22": "Reported."}, submit=True
    )
    response = graded.responses.get(question_key="q22")
    rubric = revision_questions(graded.revision)["q22"]["answer"]["rubric"]
    revoked = make_api(class_student)
    token_revoke(user=class_student, token_id=ApiToken.objects.get(user=class_student).pk)
    return {
        "names": {
            "slug": first_lesson.slug,
            "item": ReviewItem.objects.get(learner=learner).pk,
            "assignment": assignment.pk,
            "attempt": class_attempt.pk,
            "classroom": assignment.classroom_id,
            "student": class_student.pk,
            "other": noor.pk,
            "co_teacher": co_teacher.pk,
            "response": response.pk,
            "number": 1,
            "old": 1,
            "new": 1,
            # The key the duplicate of q01 gets (the next free `q<n>`), which is then deleted.
            "copy": f"q{first_lesson.questions.count() + 1}",
            "actor": first_lesson.actors.order_by("slug").values_list("slug", flat=True)[0],
            "treaty": first_lesson.treaties.order_by("slug").values_list("slug", flat=True)[0],
            "claim": Claim.objects.filter(questions__lesson=first_lesson).order_by("key")[0].key,
            "actor_slug": first_lesson.actors.order_by("slug").values_list("slug", flat=True)[0],
            "treaty_slug": first_lesson.treaties.order_by("slug").values_list("slug", flat=True)[0],
            "self_attempt": attempt.pk,
            "token": token_create(user=teacher, name="spare").token.pk,
            "invitation": "not-an-invitation",
        },
        "grade": {"criteria": {c["id"]: 0 for c in rubric}, "comment": "", "version": 0},
        "claim": claim_body(first_lesson),
        "article": article_body(first_lesson),
        "apis": {
            "anonymous": make_api(None),
            "learner": make_api(learner),
            "student": make_api(class_student),
            "other_student": make_api(other_student),
            "teacher": make_api(teacher),
            "other_teacher": make_api(other_teacher),
            "co_teacher": make_api(co_teacher),
            "read_only": make_api(class_student, read_only=True),
            "revoked": revoked,
        },
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_the_access_matrix(world: dict[str, Any], actor: str) -> None:
    api: Api = world["apis"][actor]
    column = ACTORS.index(actor)
    got, wanted = [], []
    for call in CALLS:
        path = call.path.format(**world["names"])
        body = world[call.body] if isinstance(call.body, str) else call.body
        if isinstance(body, dict):
            body = {
                name: value.format(**world["names"]) if isinstance(value, str) else value
                for name, value in body.items()
            }
        response = (
            getattr(api, call.method)(path, body) if body is not None else getattr(api, call.method)(path)
        )
        got.append((call.method.upper(), call.path, response.status_code))
        wanted.append((call.method.upper(), call.path, call.expected[column]))
        if response.status_code >= 400:
            error_of(response)
    assert got == wanted
