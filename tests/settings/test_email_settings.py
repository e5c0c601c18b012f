"""E-mail settings come from the environment (EMAIL_URL or Django's usual EMAIL_* variables); without them
nothing is sent to a guessed localhost:25: the backend refuses and the password-reset page says resetting
by e-mail is not set up."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import reverse
from factories.people import LearnerFactory

from lessons.mail import (
    CONSOLE_BACKEND,
    NOT_CONFIGURED_BACKEND,
    SMTP_BACKEND,
    NotConfiguredEmailBackend,
    email_settings,
)


def test_an_smtp_url_on_port_587_uses_starttls_and_decodes_the_password() -> None:
    found = email_settings({"EMAIL_URL": "smtp://mailer%40school.example:p%40ss%3Aw@smtp.example:587"})

    assert found["EMAIL_BACKEND"] == SMTP_BACKEND
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"]) == ("smtp.example", 587)
    assert (found["EMAIL_HOST_USER"], found["EMAIL_HOST_PASSWORD"]) == ("mailer@school.example", "p@ss:w")
    assert (found["EMAIL_USE_TLS"], found["EMAIL_USE_SSL"]) == (True, False)


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtps://u:p@smtp.example", 465, False, True),
        ("smtp+ssl://u:p@smtp.example:2465", 2465, False, True),
        ("smtp+tls://u:p@smtp.example:2525", 2525, True, False),
        ("smtp://relay.internal:25", 25, False, False),
        ("smtp://u:p@smtp.example:587?tls=false", 587, False, False),
        ("smtp://u:p@smtp.example:2525?tls=true", 2525, True, False),
    ],
)
def test_the_url_scheme_and_query_choose_the_encryption(url: str, port: int, tls: bool, ssl: bool) -> None:
    found = email_settings({"EMAIL_URL": url})

    assert (found["EMAIL_PORT"], found["EMAIL_USE_TLS"], found["EMAIL_USE_SSL"]) == (port, tls, ssl)


def test_console_url_prints_messages() -> None:
    assert email_settings({"EMAIL_URL": "console://"})["EMAIL_BACKEND"] == CONSOLE_BACKEND


@pytest.mark.parametrize(
    "url", ["http://smtp.example", "smtp://", "smtps://u:p@smtp.example?tls=true", "smtp://h:notaport"]
)
def test_a_bad_url_fails_clearly_at_startup(url: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_settings({"EMAIL_URL": url})


def test_the_usual_variables_work_too_with_starttls_by_default() -> None:
    found = email_settings(
        {
            "EMAIL_HOST": "smtp.example",
            "EMAIL_HOST_USER": "u",
            "EMAIL_HOST_PASSWORD": "p",
            "DEFAULT_FROM_EMAIL": "quizsite <noreply@school.example>",
        }
    )

    assert found["EMAIL_BACKEND"] == SMTP_BACKEND
    assert (found["EMAIL_PORT"], found["EMAIL_USE_TLS"], found["EMAIL_USE_SSL"]) == (587, True, False)
    assert found["SERVER_EMAIL"] == found["DEFAULT_FROM_EMAIL"] == "quizsite <noreply@school.example>"
    ssl = email_settings({"EMAIL_HOST": "smtp.example", "EMAIL_USE_SSL": "true"})
    assert (ssl["EMAIL_PORT"], ssl["EMAIL_USE_TLS"], ssl["EMAIL_USE_SSL"]) == (465, False, True)
    with pytest.raises(ImproperlyConfigured):
        email_settings({"EMAIL_HOST": "smtp.example", "EMAIL_USE_SSL": "true", "EMAIL_USE_TLS": "true"})


def test_without_a_mail_server_the_backend_refuses_to_send() -> None:
    assert email_settings({})["EMAIL_BACKEND"] == NOT_CONFIGURED_BACKEND
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        NotConfiguredEmailBackend().send_messages([mail.EmailMessage("s", "b", to=["a@example.com"])])


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND=NOT_CONFIGURED_BACKEND)
def test_the_password_reset_page_says_it_is_not_set_up_and_sends_nothing(client: Client, caplog: Any) -> None:
    LearnerFactory(username="ana", email="ana@school.example")

    shown = client.get(reverse("password_reset"))
    asked = client.post(reverse("password_reset"), {"email": "ana@school.example"})

    for response in (shown, asked):
        assert response.status_code == 503
        assert "Password reset is not available" in response.content.decode()
        assert 'name="email"' not in response.content.decode()
    assert "no e-mail server is configured" in caplog.text
    assert mail.outbox == []


@pytest.mark.django_db
def test_with_a_mail_server_the_password_reset_page_sends_the_link(client: Client) -> None:
    LearnerFactory(username="ana", email="ana@school.example")

    response = client.post(reverse("password_reset"), {"email": "ana@school.example"})

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["ana@school.example"]]
