"""A learner's progress: by lesson and by focus, and everything they answered about one actor or treaty."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lessons.selectors.progress import EntityKind, answers_about, progress_overview
from lessons.web.decorators import role_required, signed_in_user


@role_required("learner")
def overview(request: HttpRequest) -> HttpResponse:
    progress = progress_overview(signed_in_user(request))
    return render(request, "lessons/progress.html", {"progress": progress})


def _entity_page(request: HttpRequest, kind: EntityKind, slug: str) -> HttpResponse:
    page = answers_about(signed_in_user(request), kind, slug)
    if page is None:
        raise Http404(_("No such actor.") if kind is EntityKind.ACTOR else _("No such treaty."))
    return render(request, "lessons/progress_entity.html", {"page": page})


@role_required("learner")
def actor(request: HttpRequest, slug: str) -> HttpResponse:
    return _entity_page(request, EntityKind.ACTOR, slug)


@role_required("learner")
def treaty(request: HttpRequest, slug: str) -> HttpResponse:
    return _entity_page(request, EntityKind.TREATY, slug)
