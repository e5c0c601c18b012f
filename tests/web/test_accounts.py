"""Learner accounts: sign up, log in and out, change and reset a password, the profile page."""

import re
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from factories.people import LearnerFactory

from lessons.models import Lesson

pytestmark = pytest.mark.django_db

PASSWORD = "Quiet-harbour-1947"
NEW_PASSWORD = "Lantern-orchard-2031"


def signup_data(**overrides: str) -> dict[str, str]:
    return {
        "username": "amina",
        "email": "amina@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get(SESSION_KEY)


@pytest.fixture
def learner(db: None) -> User:
    return LearnerFactory(username="learner", email="learner@example.org", password=PASSWORD)


# Sign up


def test_signup_page_labels_every_field(client: Client) -> None:
    response = client.get(reverse("signup"))

    html = response.content.decode()
    assert response.status_code == 200
    for field in ("username", "email", "password1", "password2"):
        assert f'<label for="id_{field}"' in html
    assert 'class="skip-link"' in html  # extends base.html


def test_signup_creates_the_user_logs_them_in_and_goes_home(client: Client, django_user_model: Any) -> None:
    response = client.post(reverse("signup"), signup_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("lessons:home")
    user = django_user_model.objects.get(username="amina")
    assert user.email == "amina@example.org"
    assert user.check_password(PASSWORD)
    assert signed_in_user_id(client) == str(user.pk)


def test_signup_without_email_is_accepted(client: Client, django_user_model: Any) -> None:
    response = client.post(reverse("signup"), signup_data(email=""))

    assert response.status_code == 302
    assert django_user_model.objects.get(username="amina").email == ""


def test_signup_follows_a_safe_next(client: Client) -> None:
    response = client.post(reverse("signup"), {**signup_data(), "next": "/lessons/some-lesson/"})

    assert response["Location"] == "/lessons/some-lesson/"


@pytest.mark.parametrize(
    "unsafe_next",
    ["https://evil.example/phish", "//evil.example/", "javascript:alert(1)", "\\\\evil.example"],
)
def test_signup_ignores_an_unsafe_next(client: Client, unsafe_next: str) -> None:
    page = client.get(reverse("signup"), {"next": unsafe_next})
    response = client.post(reverse("signup"), {**signup_data(), "next": unsafe_next})

    assert "evil.example" not in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("lessons:home")


def test_signup_with_a_taken_username_shows_the_error_and_creates_nothing(
    client: Client, learner: Any, django_user_model: Any
) -> None:
    response = client.post(reverse("signup"), signup_data(username="Learner"))

    html = response.content.decode()
    assert response.status_code == 200
    # Refused without confirming that the account exists (issue: sign-up revealed taken usernames).
    assert "This username cannot be used. Choose another." in html
    assert "already exists" not in html
    assert django_user_model.objects.count() == 1
    assert signed_in_user_id(client) is None


def test_signup_error_is_tied_to_its_field_and_summarised(client: Client, learner: Any) -> None:
    response = client.post(reverse("signup"), signup_data(username="learner"))

    html = response.content.decode()
    assert (
        'aria-invalid="true" aria-describedby="id_username_helptext id_username_error" id="id_username"'
        in html
    )
    assert 'id="id_username_error"' in html
    assert 'role="alert"' in html
    assert '<a href="#id_username">' in html  # the summary links to the field
    assert "<title>Error: Sign up" in html


def test_signup_with_mismatched_passwords_is_refused(client: Client, django_user_model: Any) -> None:
    response = client.post(reverse("signup"), signup_data(password2="Something-else-entirely-9"))

    assert response.status_code == 200
    assert response.context["form"].errors["password2"] == ["The two password fields didn\u2019t match."]
    assert not django_user_model.objects.exists()


def test_signup_with_a_too_common_password_is_refused(client: Client, django_user_model: Any) -> None:
    response = client.post(reverse("signup"), signup_data(password1="password123", password2="password123"))

    assert response.status_code == 200
    assert "This password is too common." in response.context["form"].errors["password2"]
    assert not django_user_model.objects.exists()


def test_signup_with_an_invalid_email_is_refused(client: Client, django_user_model: Any) -> None:
    response = client.post(reverse("signup"), signup_data(email="not-an-address"))

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Enter a valid email address."]
    assert not django_user_model.objects.exists()


def test_signed_in_user_visiting_signup_is_sent_home(client: Client, learner: Any) -> None:
    client.force_login(learner)

    response = client.get(reverse("signup"))

    assert response.status_code == 302
    assert response["Location"] == reverse("lessons:home")


# Log in and out


def test_login_signs_in_and_follows_a_safe_next(client: Client, learner: Any) -> None:
    response = client.post(
        reverse("login"), {"username": "learner", "password": PASSWORD, "next": reverse("profile")}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    assert signed_in_user_id(client) == str(learner.pk)


def test_login_ignores_an_unsafe_next(client: Client, learner: Any) -> None:
    response = client.post(
        reverse("login"), {"username": "learner", "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("lessons:home")


def test_login_with_a_wrong_password_shows_an_error_summary(client: Client, learner: Any) -> None:
    response = client.post(reverse("login"), {"username": "learner", "password": "wrong"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert "Please enter a correct username and password." in html
    assert signed_in_user_id(client) is None


def test_logout_is_a_post_that_signs_out_and_goes_home(client: Client, learner: Any) -> None:
    client.force_login(learner)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("lessons:home")
    assert signed_in_user_id(client) is None


def test_navigation_offers_sign_up_to_visitors_and_profile_to_learners(client: Client, learner: Any) -> None:
    visitor_html = client.get(reverse("lessons:home")).content.decode()
    client.force_login(learner)
    learner_html = client.get(reverse("lessons:home")).content.decode()

    assert f'href="{reverse("signup")}"' in visitor_html
    assert f'href="{reverse("profile")}"' not in visitor_html
    assert f'href="{reverse("profile")}"' in learner_html
    assert f'href="{reverse("signup")}"' not in learner_html


# Password change


def test_password_change_requires_login(client: Client) -> None:
    response = client.get(reverse("password_change"))

    assert response["Location"] == f"{reverse('login')}?next={reverse('password_change')}"


def test_password_change_sets_the_new_password_and_keeps_the_learner_signed_in(
    client: Client, learner: Any
) -> None:
    client.force_login(learner)
    page = client.get(reverse("password_change"))
    assert 'class="skip-link"' in page.content.decode()

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("password_change_done"), 302)]
    assert "Password changed" in response.content.decode()
    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)
    assert signed_in_user_id(client) == str(learner.pk)


def test_password_change_with_a_wrong_old_password_changes_nothing(client: Client, learner: Any) -> None:
    client.force_login(learner)

    response = client.post(
        reverse("password_change"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert 'id="id_old_password_error"' in response.content.decode()
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)


# Password reset


def test_password_reset_mails_a_link_that_sets_a_new_password(
    client: Client, learner: Any, mailoutbox: list[Any]
) -> None:
    response = client.post(reverse("password_reset"), {"email": "learner@example.org"})

    assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["learner@example.org"]
    assert message.subject == "Reset your password on testserver"
    assert "“learner”" in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body)
    assert link is not None

    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    assert '<label for="id_new_password1"' in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("password_reset_complete")

    client.logout()
    assert client.login(username="learner", password=NEW_PASSWORD)
    assert not client.login(username="learner", password=PASSWORD)


def test_password_reset_link_works_only_once(client: Client, learner: Any, mailoutbox: list[Any]) -> None:
    client.post(reverse("password_reset"), {"email": "learner@example.org"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mailoutbox[0].body)
    assert link is not None
    set_password_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    second = client.get(link.group(1), follow=True)

    assert second.context["validlink"] is False
    assert "This link does not work" in second.content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    client: Client, learner: Any, mailoutbox: list[Any]
) -> None:
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_password_reset_pages_use_the_site_layout(client: Client) -> None:
    for name in ("password_reset", "password_reset_done", "password_reset_complete"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert 'class="skip-link"' in response.content.decode(), name


# Profile


def test_profile_requires_login(client: Client) -> None:
    response = client.get(reverse("profile"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('profile')}"


def test_profile_shows_the_account_and_the_lessons_to_take(
    client: Client, learner: Any, first_lesson: Lesson
) -> None:
    client.force_login(learner)

    response = client.get(reverse("profile"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "learner@example.org" in html
    assert f'datetime="{learner.date_joined.isoformat()}"' in html
    assert (
        f'href="{reverse("lessons:lesson_detail", args=[first_lesson.slug])}">{first_lesson.title}<' in html
    )
    assert f'href="{reverse("lessons:home")}">Browse the lesson catalogue<' in html


def test_profile_queries_do_not_grow_with_lessons(
    client: Client,
    learner: Any,
    first_lesson_data: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    from lessons.services import lesson_import

    for number in range(3):
        copy = {**first_lesson_data, "lesson": {**first_lesson_data["lesson"], "slug": f"copy-{number}"}}
        lesson_import(data=copy)
    client.force_login(learner)
    client.get(reverse("profile"))  # warm-up

    with django_assert_max_num_queries(4):  # session, user, lessons, API tokens
        response = client.get(reverse("profile"))
    assert response.content.decode().count("/lessons/copy-") == 3
