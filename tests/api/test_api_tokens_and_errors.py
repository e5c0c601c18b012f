"""Personal tokens (only a hash stored, shown once on the profile page, revoked there, read-only ones refused
every write) and the API's one error shape for every failure."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from api_support import Api, MakeApi, error_of
from django.contrib.auth.models import User
from django.db import OperationalError
from django.test import Client

from lessons.models import ApiToken, Assignment, Lesson, Preferences
from lessons.services.api_tokens import TOKEN_CREATE_PER_ACCOUNT, token_create
from lessons.services.errors import InvalidInput


def test_only_a_hash_of_the_token_is_stored(learner: User) -> None:
    made = token_create(user=learner, name="laptop")

    stored = ApiToken.objects.get()
    assert made.secret.startswith(f"qs_{stored.prefix}_") and len(made.secret) > 50
    assert stored.digest == hashlib.sha256(made.secret.encode()).hexdigest()
    columns = ApiToken.objects.values().get()
    assert not any(made.secret in str(value) for value in columns.values())


def test_a_token_speaks_for_its_user_and_notes_when_it_was_used(make_api: MakeApi, learner: User) -> None:
    api = make_api(learner)

    me = api.get("me/")

    assert me.status_code == 200 and me.json()["username"] == "learner"
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["Bearer qs_unknown00_nothing", "Bearer qs_short_x", "Bearer nonsense", "Bearer "],
)
def test_a_wrong_token_is_401(client: Client, learner: User, header: str) -> None:
    token_create(user=learner, name="laptop")

    response = client.get("/api/v1/me/", headers={"Authorization": header})

    assert response.status_code == 401 and error_of(response)["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_with_a_right_prefix_and_a_wrong_secret_is_401(client: Client, learner: User) -> None:
    made = token_create(user=learner, name="laptop")
    forged = made.secret[:-4] + ("AAAA" if not made.secret.endswith("AAAA") else "BBBB")

    response = client.get("/api/v1/me/", headers={"Authorization": f"Bearer {forged}"})

    assert response.status_code == 401


def test_a_revoked_token_is_401_everywhere(make_api: MakeApi, learner: User, first_lesson: Lesson) -> None:
    from lessons.services.api_tokens import token_revoke

    api = make_api(learner)
    token_revoke(user=learner, token_id=ApiToken.objects.get().pk)

    assert api.get("me/").status_code == 401
    assert api.get("lessons/").status_code == 401  # even what is public: the credentials are wrong


def test_a_read_only_token_reads_and_never_writes(
    make_api: MakeApi, class_student: User, assignment: Assignment
) -> None:
    api = make_api(class_student, read_only=True)

    assert api.get(f"assignments/{assignment.pk}/").status_code == 200
    refused = api.post(f"assignments/{assignment.pk}/attempts/")

    assert refused.status_code == 403 and error_of(refused)["code"] == "read_only_token"
    assert not assignment.attempts.exists()


def test_token_creation_is_limited(learner: User) -> None:
    for number in range(TOKEN_CREATE_PER_ACCOUNT.attempts):
        token_create(user=learner, name=f"token {number}")

    from lessons.services.throttle import Throttled

    with pytest.raises(Throttled):
        token_create(user=learner, name="one too many")
    assert ApiToken.objects.count() == TOKEN_CREATE_PER_ACCOUNT.attempts


def test_a_token_needs_a_name(learner: User) -> None:
    with pytest.raises(InvalidInput):
        token_create(user=learner, name="   ")


def test_anonymous_gets_401_with_the_scheme(make_api: MakeApi) -> None:
    response = make_api(None).get("progress/")

    assert response.status_code == 401 and error_of(response)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_an_oversized_body_is_413_before_it_is_read(
    make_api: MakeApi, learner: User, first_lesson: Lesson
) -> None:
    api = make_api(learner)

    response = api.post(f"lessons/{first_lesson.slug}/self-study/answers/q05/", {"answer": "x" * 70_000})

    assert response.status_code == 413 and error_of(response)["code"] == "payload_too_large"
    assert not first_lesson.attempts.exists()


def test_unknown_paths_and_versions_are_404_in_the_error_shape(make_api: MakeApi, learner: User) -> None:
    api = make_api(learner)

    assert error_of(api.get("lessons/no-such-lesson/"))["code"] == "not_found"
    assert api.client.get("/api/v2/me/", headers={"Authorization": f"Bearer {api.token}"}).status_code == 404


def test_a_database_outage_is_a_503_in_the_error_shape(
    make_api: MakeApi, learner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lessons.api.views import learner as learner_views

    api = make_api(learner)

    def down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(learner_views, "progress_overview", down)
    response = api.get("progress/")

    assert response.status_code == 503 and error_of(response)["code"] == "database_unavailable"
    assert response["Retry-After"] == "30"


def test_an_unexpected_error_is_a_500_without_a_traceback(
    make_api: MakeApi, learner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lessons.api.views import learner as learner_views

    api = make_api(learner)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(learner_views, "progress_overview", broken)
    response = api.get("progress/")

    assert response.status_code == 500 and error_of(response)["code"] == "server_error"
    assert b"secret internals" not in response.content and b"Traceback" not in response.content


def test_responses_are_not_stored_by_caches(make_api: MakeApi, learner: User) -> None:
    assert "no-store" in make_api(learner).get("me/")["Cache-Control"]


# ----------------------------------------------------------------------------------------------------
# The profile page


def test_the_profile_makes_shows_once_lists_and_revokes_tokens(client: Client, learner: User) -> None:
    client.force_login(learner)

    made = client.post(
        "/accounts/profile/", {"action": "token_create", "token-name": "LMS", "token-read_only": "on"}
    )
    secret = made.context["new_token"]
    listed = client.get("/accounts/profile/").content.decode()
    token = ApiToken.objects.get()

    assert made.status_code == 201 and secret in made.content.decode()
    assert token.name == "LMS" and token.read_only
    assert secret not in listed and f"qs_{token.prefix}" in listed and "LMS" in listed
    me = Api(Client(), secret).get("me/").json()
    assert me == {"username": "learner", "is_teacher": False, "token_name": "LMS", "read_only": True}

    revoked = client.post("/accounts/profile/", {"action": "token_revoke", "token": str(token.pk)})

    assert revoked.status_code == 302
    assert Api(Client(), secret).get("me/").status_code == 401
    assert "Revoked" in client.get("/accounts/profile/").content.decode()


def test_the_profile_refuses_a_nameless_token_and_anothers_token(
    client: Client, learner: User, other_learner: User
) -> None:
    theirs = token_create(user=other_learner, name="theirs").token
    client.force_login(learner)

    nameless = client.post("/accounts/profile/", {"action": "token_create", "token-name": ""})
    other = client.post("/accounts/profile/", {"action": "token_revoke", "token": str(theirs.pk)})

    assert nameless.status_code == 400 and not learner.api_tokens.exists()
    assert other.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_time_zone_form_still_works(client: Client, learner: User) -> None:
    client.force_login(learner)

    response = client.post("/accounts/profile/", {"action": "time_zone", "time_zone": "Europe/Madrid"})

    assert response.status_code == 302
    assert Preferences.objects.get(user=learner).time_zone == "Europe/Madrid"
