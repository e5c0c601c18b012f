"""The autosave of one answer without the middleware stack: a class saves every few seconds, so the save is
the site's most frequent request, and the stack (session, user, messages, URL resolving…) cost more than
the save itself.

The take page's forms name their attempt with a signed token (lessons.web.views.student_assignments); where
the session allows it (`session_binding`) the token also carries a digest of the session's key, a
fingerprint of the user's password hash (lessons.services.attempts.password_fingerprint) and the time zone
the page was shown in. `LeanAutosaveMiddleware` stands before the session middleware and answers an htmx
save whose token carries that binding and matches the request's session cookie: Django's own CSRF check,
the form, then one statement (`services.attempts.response_save_signed_in`) that writes the answer only if
the session still exists unexpired, the user is active with the same password, and the attempt is theirs,
open, on the page's revision, before its deadline, in a class they are still in, with a newer sequence —
without loading the session or the user. The answer is the endpoint's own ("Saved at …", the same fragment
and headers). Anything else — no binding, another session, a failed CSRF check, a bad answer or sequence,
an unknown question, a save the statement did not write (stale, closed, late, signed out, password
changed, deactivated, removed from the class) — goes the whole way through the stack to the view, which
says why, exactly as before. A database outage is the same 503 (lessons.web.outage).

A session gets no binding (so its saves go the whole way) while it is a teacher's (the idle logout must see
their requests) or held to a one-time password, or when sessions are not kept in the database (the `cache`
engine: a sign-out would not be visible to the statement). A session that becomes a teacher's changes its
key (lessons.web.middleware.IdleTeacherLogoutMiddleware), so its earlier tokens no longer bind; a login or a
password change here does too (Django cycles the key).
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.html import format_html
from django.utils.translation import gettext as _

from lessons.services.attempts import SignedInProof, password_fingerprint, response_save_signed_in
from lessons.services.errors import ServiceError
from lessons.services.people import (
    SESSION_TEACHING,
    SESSION_TEMPORARY_PASSWORD,
    SESSION_TIME_ZONE,
    known_time_zones,
)
from lessons.web.outage import database_unavailable, is_database_outage

if TYPE_CHECKING:
    from lessons.web.views.student_assignments import AttemptRef

# The route of lessons:assignment_save (lessons/web/classroom_urls.py; a test checks they agree).
SAVE_PATH = re.compile(r"^/assignments/(?P<assignment>[0-9]+)/save/(?P<key>[-a-zA-Z0-9_]+)/\Z")
SESSION_ENGINES = frozenset(
    {"django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"}
)
SESSION_DIGEST_CHARS = 32
_SESSION_SALT = "lessons.web.autosave.session"


def session_digest(session_key: str) -> str:
    """A keyed digest of a session key: it names the session in a page without giving the key away."""
    return salted_hmac(_SESSION_SALT, session_key, algorithm="sha256").hexdigest()[:SESSION_DIGEST_CHARS]


def session_binding(request: HttpRequest) -> str:
    """What a take page's tokens carry so that their saves can skip the stack (see the module), or "" when
    this session's saves must go the whole way."""
    if settings.SESSION_ENGINE not in SESSION_ENGINES:
        return ""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or user is None or not user.is_authenticated or not session.session_key:
        return ""
    if session.get(SESSION_TEACHING) or session.get(SESSION_TEMPORARY_PASSWORD):
        return ""
    zone = session.get(SESSION_TIME_ZONE) or ""
    return binding_for(session.session_key, user.password, zone if zone in known_time_zones() else "")


def binding_for(session_key: str, password_hash: str, zone: str = "") -> str:
    """The binding of a session's tokens (`session_binding`), from its parts."""
    return f"{session_digest(session_key)}.{password_fingerprint(password_hash)}.{zone}"


def _binding_parts(binding: str) -> tuple[str, str, str] | None:
    parts = binding.split(".")
    if len(parts) != 3:
        return None
    return parts[0], parts[1], parts[2]


def saved_status_html(key: str, saved_at: dt.datetime, stored_sequence: int) -> str:
    """What the save status template (lessons/classes/save_status.html) renders for a saved answer with no
    problem, in the active language and time zone, without the template engine (about a fifth of the
    lean save's CPU): a test compares the two in every language of the site."""
    time = timezone.localtime(saved_at).strftime("%H:%M:%S")
    return format_html(
        '<p class="save-status save-saved" id="save-{}" role="status" data-save-status data-sequence="{}" '
        'data-saved><span class="save-time"><span aria-hidden="true">✓ </span>{}</span></p>\n',
        key,
        stored_sequence or 0,
        _("Saved at %(time)s") % {"time": time},
    )


class _CsrfCheck(CsrfViewMiddleware):
    """Django's CSRF check (token, Origin, Referer) that refuses quietly: a refused request then goes the
    whole way, where the stack's own check refuses it, logs it and answers it as always."""

    def _reject(self, request: HttpRequest, reason: str) -> HttpResponse:
        return HttpResponse(status=403)


class LeanAutosaveMiddleware:
    """Answers an htmx autosave whose token binds it to the request's session in one statement, before the
    session middleware (see the module); every other request goes on through the stack."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from lessons.web.views import student_assignments  # the views import this module

        self.get_response = get_response
        self.views = student_assignments
        self.csrf = _CsrfCheck(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = SAVE_PATH.match(request.path_info)
        if (
            match is None
            or request.method != "POST"
            or request.headers.get("HX-Request") != "true"
            or settings.SESSION_ENGINE not in SESSION_ENGINES
        ):
            return self.get_response(request)
        response = self.lean_save(request, int(match["assignment"]), match["key"])
        return response if response is not None else self.get_response(request)

    def lean_save(self, request: HttpRequest, assignment_id: int, key: str) -> HttpResponse | None:
        """The save's answer, or None for the stack to answer it."""
        if (
            request.headers.get("HX-Target") == f"question-{key}"
            or "HX-Target-URI-AutoEncoded" in request.headers
        ):
            return None  # the question itself is swapped (feedback after each answer): the view renders it
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
        if not session_key:
            return None
        try:
            request.get_host()  # ALLOWED_HOSTS, as the stack checks it
        except DisallowedHost:
            return None
        self.csrf.process_request(request)
        if self.csrf.process_view(request, self.views.save_answer, (), {}) is not None:
            return None
        named = self.views.attempt_from_token(
            request.POST.get("attempt", ""), user_id=None, assignment_id=assignment_id
        )
        parts = _binding_parts(named[1].binding) if named is not None else None
        if named is None or parts is None:
            return None
        learner_id, ref = named
        bound_session, fingerprint, zone = parts
        if not hmac.compare_digest(bound_session, session_digest(session_key)):
            return None
        raw_sequence = request.POST.get("sequence", "")
        if not raw_sequence.isdigit() or not raw_sequence.isascii():
            return None
        language = translation.get_language_from_request(request)
        with translation.override(language):
            try:
                response = self.saved(request, learner_id, ref, key, fingerprint, zone, session_key)
            except Exception as error:
                if not is_database_outage(error):
                    raise
                response = database_unavailable(request, error)
        if response is None:
            return None
        return self.finished(response, language)

    def saved(
        self,
        request: HttpRequest,
        learner_id: int,
        ref: AttemptRef,
        key: str,
        fingerprint: str,
        zone: str,
        session_key: str,
    ) -> HttpResponse | None:
        """The saved state of the answer the statement wrote, or None when it wrote nothing."""
        try:
            question = self.views.question_forms(ref).get(key)
            if question is None:
                return None
            given, evidence = self.views.answer_from_post(question, request.POST)
        except (Http404, ServiceError):
            return None
        saved = response_save_signed_in(
            learner_id=learner_id,
            attempt_id=ref.attempt_id,
            revision_id=ref.revision_id,
            question_key=key,
            answer=given,
            evidence=evidence,
            sequence=int(request.POST["sequence"]),
            proof=SignedInProof(session_key, fingerprint),
        )
        if saved is None:
            return None
        with timezone.override(zone or None):
            return HttpResponse(saved_status_html(key, saved.response.saved_at, saved.response.sequence))

    @staticmethod
    def finished(response: HttpResponse, language: str) -> HttpResponse:
        """The headers the stack's middlewares after this one add to this answer (clickjacking, locale,
        session, common): a test compares the two answers header by header."""
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS.upper())
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        if not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))
        return response
