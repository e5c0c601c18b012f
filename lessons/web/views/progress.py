"""A learner's progress: by lesson and by focus, and everything they answered about one actor or treaty."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lessons.selectors.progress import EntityKind, answers_about, progress_overview


def _learner(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "login_required lets only signed-in users through"
    return user


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    progress = progress_overview(_learner(request))
    return render(request, "lessons/progress.html", {"progress": progress})


def _entity_page(request: HttpRequest, kind: EntityKind, slug: str) -> HttpResponse:
    page = answers_about(_learner(request), kind, slug)
    if page is None:
        raise Http404(_("No such actor.") if kind is EntityKind.ACTOR else _("No such treaty."))
    return render(request, "lessons/progress_entity.html", {"page": page})


@login_required
def actor(request: HttpRequest, slug: str) -> HttpResponse:
    return _entity_page(request, EntityKind.ACTOR, slug)


@login_required
def treaty(request: HttpRequest, slug: str) -> HttpResponse:
    return _entity_page(request, EntityKind.TREATY, slug)
