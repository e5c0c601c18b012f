"""A server fault is logged and gets a clear page; a database outage gets a 503. Never a traceback."""

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def raising_client(client: Client) -> Client:
    client.raise_request_exception = False
    return client


def test_database_outage_gets_a_503_page(raising_client: Client, monkeypatch: Any, caplog: Any) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr("lessons.web.views.catalog.selectors.published_lessons_for", fail)

    response = raising_client.get(reverse("lessons:home"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "temporarily unavailable" in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert "Database unavailable while serving /" in caplog.text


def test_server_fault_gets_a_plain_500_page(raising_client: Client, monkeypatch: Any, caplog: Any) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("lessons.web.views.catalog.selectors.published_lessons_for", fail)

    response = raising_client.get(reverse("lessons:home"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "a bug" not in response.content.decode()
    assert "RuntimeError: a bug" in caplog.text
