"""The authoring studio: "My lessons" and a lesson's pages while a teacher writes it.

Teachers only (role_required("teacher")); a lesson the user neither owns nor co-authors is 404 on every
page, as an unknown one is. Every change is a POST to a service of `lessons.services.authoring`, which checks
the author and the lesson's state again inside its transaction; these views parse, call and render. Bad
input gets 400 with the form's errors and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lessons.models import READING_AIDS, Lesson
from lessons.selectors.authoring import authored_lessons, lesson_for_author
from lessons.selectors.studio import (
    claim_actor_choices,
    claim_choices,
    claims_page,
    entities_page,
    sentences_of,
)
from lessons.services import authoring as services
from lessons.services.authoring import ClaimInput, LessonFileRefused
from lessons.services.errors import ServiceError
from lessons.services.lesson_documents import MAX_FILE_BYTES
from lessons.services.lessons import ImportResult, dump_document, lesson_document
from lessons.web.classroom_forms import add_service_error
from lessons.web.decorators import role_required, signed_in_user
from lessons.web.studio_forms import (
    ORIGINAL,
    RETELLING,
    ActorNoteForm,
    ArticleTextForm,
    ClaimForm,
    CoAuthorForm,
    LessonFileForm,
    NewActorForm,
    NewLessonForm,
    NewTreatyForm,
    PickActorForm,
    PickTreatyForm,
    SettingsForm,
    TreatyNoteForm,
    lines_of,
    paragraphs_of,
)

TEMPLATES = "lessons/studio/"
# A request body this much over the file limit is refused by its length alone (413).
UPLOAD_SLACK = 64 * 1024


def authored(request: HttpRequest, slug: str) -> Lesson:
    """The lesson `slug` if the signed-in user may author it, else 404."""
    lesson = lesson_for_author(user=signed_in_user(request), slug=slug)
    if lesson is None:
        raise Http404(_("No such page."))
    return lesson


def _page(request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    return render(request, TEMPLATES + template, context, status=status)


def _lesson_url(name: str, lesson: Lesson) -> str:
    return reverse(f"studio:{name}", args=[lesson.slug])


def _report_import(request: HttpRequest, result: ImportResult) -> None:
    for conflict in result.conflicts:
        messages.warning(request, str(conflict))


@role_required("teacher")
@require_http_methods(["GET", "HEAD"])
def my_lessons(request: HttpRequest) -> HttpResponse:
    lessons = list(authored_lessons(user=signed_in_user(request)))
    return _page(request, "my_lessons.html", {"lessons": lessons})


# ---- a new lesson from an article ----------------------------------------------------------------------


def _step(form: NewLessonForm, step: int) -> dict[str, Any]:
    """Step 1 asks for the pasted text, step 2 shows the sentences it was cut into (the other one hidden)."""
    form.fields["sentences" if step == 1 else "body"].widget = forms.HiddenInput()
    return {"form": form, "step": step}


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def new_lesson(request: HttpRequest) -> HttpResponse:
    """Step 1: the article's details and its pasted text. Step 2 (`action=split`): the sentences the splitter
    found, one a line, for the teacher to merge and split. Then (`action=create`) the lesson is made."""
    if request.method != "POST":
        return _page(request, "new.html", _step(NewLessonForm(), 1))
    form = NewLessonForm(request.POST)
    action = request.POST.get("action", "split")
    if not form.is_valid():
        step = 2 if (request.POST.get("sentences") or "").strip() else 1
        return _page(request, "new.html", _step(form, step), status=400)
    if action != "create" or not form.cleaned_data["sentences"].strip():
        data = request.POST.copy()
        data["sentences"] = form.split_body()
        return _page(request, "new.html", _step(NewLessonForm(data), 2))
    try:
        lesson = services.lesson_create_from_article(
            by=signed_in_user(request),
            title=form.cleaned_data["title"],
            details=form.details(),
            paragraphs=paragraphs_of(form.cleaned_data["sentences"]),
        )
    except ServiceError as error:
        add_service_error(form, error)
        return _page(request, "new.html", _step(form, 2), status=400)
    messages.success(request, _("The lesson is made. Next: its actors and agreements."))
    return redirect(_lesson_url("entities", lesson))


# ---- the overview -------------------------------------------------------------------------------------


@role_required("teacher")
@require_http_methods(["GET", "HEAD"])
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = authored(request, slug)
    context = {
        "lesson": lesson,
        "sentence_count": lesson.article.sentences.count(),
        "actor_count": lesson.actors.count(),
        "treaty_count": lesson.treaties.count(),
        "claim_count": lesson.article.claims.count(),
        "question_count": lesson.questions.count(),
        "revisions": list(
            lesson.revisions.only("pk", "number", "published_at", "lesson_id").order_by("-number")
        ),
        "assignments": list(lesson.assignments.select_related("classroom", "revision").order_by("pk")),
        "co_authors": list(lesson.co_authors.order_by("username")),
    }
    return _page(request, "overview.html", context)


# ---- the article ------------------------------------------------------------------------------------------


def _article_initial(lesson: Lesson) -> dict[str, Any]:
    article = lesson.article
    sentences = sentences_of(lesson)
    paragraphs: list[list[str]] = []
    number = None
    for sentence in sentences:
        if sentence.paragraph != number:
            paragraphs.append([])
            number = sentence.paragraph
        paragraphs[-1].append(sentence.text)
    return {
        "headline": article.headline,
        "source": article.source_id,
        "published_on": article.published_on or "",
        "url": article.url,
        "report_kind": RETELLING if article.original_headline else ORIGINAL,
        "original_headline": article.original_headline,
        "rests_on": article.rests_on,
        "sentences": lines_of(paragraphs),
    }


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def article(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = authored(request, slug)
    if request.method != "POST":
        form = ArticleTextForm(initial=_article_initial(lesson))
        return _page(request, "article.html", {"lesson": lesson, "form": form})
    form = ArticleTextForm(request.POST)
    if form.is_valid():
        try:
            change = services.article_update(
                lesson=lesson,
                by=signed_in_user(request),
                details=form.details(),
                paragraphs=form.paragraphs(),
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Saved: %(kept)s sentences kept their ids, %(added)s are new, %(removed)s were removed.")
                % {"kept": change.kept, "added": change.added, "removed": change.removed},
            )
            if change.broken_links:
                return _page(
                    request,
                    "article.html",
                    {"lesson": lesson, "form": None, "broken_links": change.broken_links},
                )
            return redirect(_lesson_url("article", lesson))
    return _page(request, "article.html", {"lesson": lesson, "form": form}, status=400)


# ---- actors and treaties ---------------------------------------------------------------------------------


def _entity_forms(request: HttpRequest) -> dict[str, forms.Form]:
    name = request.GET.get("name", "")[:200]
    return {
        "pick_actor": PickActorForm(prefix="pick-actor"),
        "new_actor": NewActorForm(prefix="new-actor", initial={"name": name}),
        "pick_treaty": PickTreatyForm(prefix="pick-treaty"),
        "new_treaty": NewTreatyForm(prefix="new-treaty"),
    }


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def entities(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = authored(request, slug)
    forms_shown = _entity_forms(request)
    status = 200
    if request.method == "POST":
        outcome = _entities_post(request, lesson, forms_shown)
        if outcome is None:
            return redirect(_lesson_url("entities", lesson))
        status = 400
    page = entities_page(lesson)
    note_forms = {
        item.actor.pk: ActorNoteForm(
            prefix=f"actor-{item.actor.pk}",
            initial={"role": item.role, "description": item.description},
        )
        for item in page.actors
    }
    treaty_forms = {
        item.treaty.pk: TreatyNoteForm(
            prefix=f"treaty-{item.treaty.pk}",
            initial={"status": item.note.status if item.note else "", "summary": item.summary},
        )
        for item in page.treaties
    }
    context = {
        "lesson": lesson,
        "page": page,
        "actor_rows": [(item, note_forms[item.actor.pk]) for item in page.actors],
        "treaty_rows": [(item, treaty_forms[item.treaty.pk]) for item in page.treaties],
        **forms_shown,
    }
    return _page(request, "entities.html", context, status=status)


def _entities_post(request: HttpRequest, lesson: Lesson, shown: dict[str, forms.Form]) -> str | None:
    """Do what the POST asks; None when done, else the name of the form (in `shown`) holding its errors."""
    by = signed_in_user(request)
    action = request.POST.get("action", "")
    form: forms.Form
    try:
        if action == "pick_actor":
            form = shown["pick_actor"] = PickActorForm(request.POST, prefix="pick-actor")
            if form.is_valid():
                services.lesson_actor_add(lesson=lesson, by=by, actor=form.cleaned_data["actor"])
                return None
        elif action == "new_actor":
            form = shown["new_actor"] = NewActorForm(request.POST, prefix="new-actor")
            if form.is_valid():
                data = form.cleaned_data
                services.lesson_actor_create(
                    lesson=lesson,
                    by=by,
                    name=data["name"],
                    kind=data["kind"],
                    role=data["role"],
                    aliases=data["aliases"].split(","),
                    description=data["description"],
                )
                return None
        elif action in ("actor_note", "remove_actor"):
            actor = lesson.actors.filter(pk=_int(request.POST.get("actor"))).first()
            if actor is None:
                raise Http404(_("No such actor in this lesson."))
            if action == "remove_actor":
                services.lesson_actor_remove(lesson=lesson, by=by, actor=actor)
                return None
            form = ActorNoteForm(request.POST, prefix=f"actor-{actor.pk}")
            if form.is_valid():
                services.lesson_actor_note(lesson=lesson, by=by, actor=actor, **form.cleaned_data)
                return None
            shown["note_errors"] = form
        elif action == "pick_treaty":
            form = shown["pick_treaty"] = PickTreatyForm(request.POST, prefix="pick-treaty")
            if form.is_valid():
                services.lesson_treaty_add(lesson=lesson, by=by, treaty=form.cleaned_data["treaty"])
                return None
        elif action == "new_treaty":
            form = shown["new_treaty"] = NewTreatyForm(request.POST, prefix="new-treaty")
            if form.is_valid():
                services.lesson_treaty_create(lesson=lesson, by=by, **form.cleaned_data)
                return None
        elif action in ("treaty_note", "remove_treaty"):
            treaty = lesson.treaties.filter(pk=_int(request.POST.get("treaty"))).first()
            if treaty is None:
                raise Http404(_("No such agreement in this lesson."))
            if action == "remove_treaty":
                services.lesson_treaty_remove(lesson=lesson, by=by, treaty=treaty)
                return None
            form = TreatyNoteForm(request.POST, prefix=f"treaty-{treaty.pk}")
            if form.is_valid():
                services.lesson_treaty_note(lesson=lesson, by=by, treaty=treaty, **form.cleaned_data)
                return None
            shown["note_errors"] = form
        else:
            raise Http404(_("No such action."))
    except ServiceError as error:
        add_service_error(form, error)
    return action


def _int(value: Any) -> int:
    """A primary key from a form or query (0, which no row has, when it is not a number)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# ---- claims ---------------------------------------------------------------------------------------------


def _claim_form(lesson: Lesson, data: Any = None, **kwargs: Any) -> ClaimForm:
    sentences = [(s.key, f"{s.key}: {s.text}") for s in sentences_of(lesson)]
    return ClaimForm(
        data,
        sentences=sentences,
        claims=claim_choices(lesson),
        actors=claim_actor_choices(lesson),
        prefix="claim",
        **kwargs,
    )


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def claims(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = authored(request, slug)
    editing = lesson.article.claims.filter(pk=_int(request.GET.get("claim"))).first()
    status = 200
    if request.method == "POST":
        by = signed_in_user(request)
        if request.POST.get("action") == "delete":
            claim = lesson.article.claims.filter(pk=_int(request.POST.get("claim"))).first()
            if claim is None:
                raise Http404(_("No such claim."))
            try:
                services.claim_delete(lesson=lesson, by=by, claim_id=claim.pk)
            except ServiceError as error:
                messages.error(request, error.message)
            return redirect(_lesson_url("claims", lesson))
        form = _claim_form(lesson, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.claim_save(
                    lesson=lesson,
                    by=by,
                    claim_id=editing.pk if editing else None,
                    data=ClaimInput(
                        statement=data["statement"],
                        asserted_by=data["asserted_by"],
                        via=[data[f"via_{n}"] for n in (1, 2, 3) if data[f"via_{n}"]],
                        standing=data["standing"],
                        evidence=data["evidence"],
                        counter_claims=data["counter_claims"],
                        note=data["note"],
                    ),
                )
            except ServiceError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The claim is saved."))
                return redirect(_lesson_url("claims", lesson))
        status = 400
    else:
        initial: dict[str, Any] = {}
        if editing is not None:
            chain = list(editing.source_chain.order_by("position"))
            initial = {
                "statement": editing.statement,
                "asserted_by": editing.asserted_by_id,
                "standing": editing.standing,
                "evidence": list(editing.evidence.values_list("key", flat=True)),
                "counter_claims": list(editing.counter_claims.values_list("key", flat=True)),
                "note": editing.note,
                **{f"via_{n}": link.source_id for n, link in enumerate(chain[:3], start=1)},
            }
        form = _claim_form(lesson, initial=initial)
    page = claims_page(lesson)
    hedges = {
        item.sentence.key: item.hedges for paragraph in page.paragraphs for item in paragraph if item.hedges
    }
    context = {"lesson": lesson, "page": page, "form": form, "editing": editing, "hedges": hedges}
    return _page(request, "claims.html", context, status=status)


# ---- settings and co-authors --------------------------------------------------------------------------


def _settings_initial(lesson: Lesson) -> dict[str, Any]:
    return {
        "title": lesson.title,
        "introduction": lesson.introduction,
        "sourcing_note": lesson.sourcing_note,
        "objectives": "\n".join(lesson.objectives),
        "level": lesson.level,
        "estimated_minutes": lesson.estimated_minutes,
        "language": lesson.language,
        "visibility": lesson.visibility,
        **{f"aid_{aid}": getattr(lesson, f"aid_{aid}") for aid in READING_AIDS},
    }


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def lesson_settings(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = authored(request, slug)
    by = signed_in_user(request)
    form = SettingsForm(initial=_settings_initial(lesson))
    co_author_form = CoAuthorForm(prefix="co-author")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "settings")
        try:
            if action == "add_co_author":
                co_author_form = CoAuthorForm(request.POST, prefix="co-author")
                if co_author_form.is_valid():
                    user = services.co_author_add(
                        lesson=lesson, by=by, username=co_author_form.cleaned_data["username"]
                    )
                    messages.success(
                        request, _("%(name)s may now edit this lesson.") % {"name": user.username}
                    )
                    return redirect(_lesson_url("settings", lesson))
            elif action == "remove_co_author":
                services.co_author_remove(lesson=lesson, by=by, user_id=_int(request.POST.get("user")))
                messages.success(request, _("The co-author was removed."))
                return redirect(_lesson_url("settings", lesson))
            else:
                form = SettingsForm(request.POST)
                if form.is_valid():
                    services.lesson_update_settings(lesson=lesson, by=by, settings=form.settings())
                    messages.success(request, _("The settings are saved."))
                    return redirect(_lesson_url("settings", lesson))
        except ServiceError as error:
            add_service_error(co_author_form if action == "add_co_author" else form, error)
        except forms.ValidationError as error:
            form.add_error(None, error)
        status = 400
    context = {
        "lesson": lesson,
        "form": form,
        "co_author_form": co_author_form,
        "co_authors": list(lesson.co_authors.order_by("username")),
        "is_owner": by.is_superuser or lesson.owner_id == by.pk,
    }
    return _page(request, "settings.html", context, status=status)


# ---- lesson files ---------------------------------------------------------------------------------------


def _too_big(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > MAX_FILE_BYTES + UPLOAD_SLACK


def _upload(
    request: HttpRequest, template: str, context: dict[str, Any], into: Lesson | None
) -> HttpResponse:
    if _too_big(request):
        form = LessonFileForm({}, MultiValueDict())  # the file is not looked at: the form says only why
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", _("The file is larger than %(size)s KB.") % {"size": MAX_FILE_BYTES // 1000})
        return _page(request, template, {**context, "form": form}, status=413)
    form = LessonFileForm(request.POST, request.FILES)
    problems: list[Any] = []
    if form.is_valid():
        try:
            result = services.lesson_file_import(
                raw=form.cleaned_data["file"], by=signed_in_user(request), into=into
            )
        except LessonFileRefused as error:
            form.add_error("file", error.message)
            problems = error.problems
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The lesson file is imported."))
            _report_import(request, result)
            return redirect(_lesson_url("lesson", result.lesson))
    return _page(request, template, {**context, "form": form, "problems": problems}, status=400)


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """A new lesson from a lesson file."""
    if request.method == "POST":
        return _upload(request, "upload.html", {}, None)
    return _page(request, "upload.html", {"form": LessonFileForm()})


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def lesson_file(request: HttpRequest, slug: str) -> HttpResponse:
    """Download the lesson as a file (`?download=1`), or upload a file that rewrites it."""
    lesson = authored(request, slug)
    if request.method == "POST":
        return _upload(request, "file.html", {"lesson": lesson}, lesson)
    if request.GET.get("download"):
        response = HttpResponse(
            dump_document(lesson_document(lesson)), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{lesson.slug}.json"'
        return response
    return _page(request, "file.html", {"lesson": lesson, "form": LessonFileForm()})


# ---- duplicate and archive -------------------------------------------------------------------------------


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def duplicate(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = authored(request, slug)
    if request.method != "POST":
        return _page(request, "duplicate.html", {"lesson": lesson})
    try:
        result = services.lesson_duplicate(lesson=lesson, by=signed_in_user(request))
    except ServiceError as error:
        messages.error(request, error.message)
        return _page(request, "duplicate.html", {"lesson": lesson}, status=error.status)
    messages.success(request, _("This is your copy, a private draft."))
    return redirect(_lesson_url("lesson", result.lesson))


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def archive(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = authored(request, slug)
    if request.method != "POST":
        return _page(request, "archive.html", {"lesson": lesson})
    restore = request.POST.get("action") == "restore"
    services.lesson_archive(lesson=lesson, by=signed_in_user(request), archive=not restore)
    messages.success(
        request, _("The lesson is back in the catalogue.") if restore else _("The lesson is archived.")
    )
    return redirect(reverse("studio:lessons"))
