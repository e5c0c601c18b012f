"""Error pages that never show a traceback to the user."""

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without a RequestContext: a failing context processor must not hide the error page.
    return HttpResponse(render_to_string("500.html"), status=500)
