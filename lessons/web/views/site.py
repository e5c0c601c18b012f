"""Addresses every site answers, whatever its pages: the icon browsers ask for at /favicon.ico."""

from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico whatever the page's link says: send them to the static icon.

    A temporary redirect, because the static file's name carries its content hash in production.
    """
    return HttpResponseRedirect(static("lessons/favicon.ico"))
