"""Each person chooses the time zone their dates and times are shown in (DESIGN.md: times are stored in UTC
and shown in the viewer's zone; due dates say which zone they are in)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from lessons.models import Assignment, Preferences

pytestmark = pytest.mark.django_db

DUE = dt.datetime(2031, 1, 15, 17, 0, tzinfo=dt.UTC)
PASSWORD = "Quiet-harbour-1947"


def choose(client: Client, zone: str) -> object:
    return client.post(reverse("profile"), {"time_zone": zone})


def test_the_profile_offers_every_zone_with_the_current_one_chosen(student_client: Client) -> None:
    html = student_client.get(reverse("profile")).content.decode()

    assert '<label for="id_time_zone">Time zone' in html
    assert '<option value="UTC" selected>UTC</option>' in html
    assert '<option value="America/Argentina/Buenos_Aires">America/Argentina/Buenos Aires</option>' in html
    offered = re.findall(r'<option value="([^"]+)"', html)
    for not_a_place in ("Factory", "localtime", "posixrules"):
        assert not_a_place not in offered
    assert not [zone for zone in offered if zone.startswith(("posix/", "right/"))]
    assert choose(student_client, "Factory").status_code == 400  # refused, not only hidden


def test_a_chosen_zone_is_kept_and_every_page_shows_times_in_it(
    student_client: Client, class_student: User, make_assignment: Callable[..., Assignment]
) -> None:
    assignment = make_assignment(due_at=DUE)
    home = reverse("lessons:assignment_home", args=[assignment.pk])
    assert "Dates and times are in the UTC time zone." in student_client.get(home).content.decode()

    chosen = choose(student_client, "America/Mexico_City")

    assert chosen.status_code == 302  # type: ignore[attr-defined]
    assert Preferences.objects.get(user=class_student).time_zone == "America/Mexico_City"
    profile = student_client.get(reverse("profile")).content.decode()
    assert "Dates and times are now shown in America/Mexico_City." in profile
    assert '<option value="America/Mexico_City" selected>' in profile
    page = student_client.get(home).content.decode()
    assert "Dates and times are in the America/Mexico_City time zone." in page
    assert "Due Jan. 15, 2031, 11 a.m. CST" in " ".join(re.sub(r"<[^>]+>", " ", page).split())  # 17:00 UTC


def test_an_unknown_zone_is_refused_on_its_field_and_nothing_changes(
    student_client: Client, class_student: User
) -> None:
    refused = student_client.post(reverse("profile"), {"time_zone": "Mars/Olympus_Mons"})

    assert refused.status_code == 400
    assert 'id="id_time_zone_error"' in refused.content.decode()
    assert not Preferences.objects.filter(user=class_student).exists()


def test_logging_in_again_brings_the_chosen_zone_back(client: Client) -> None:
    User.objects.create_user("traveller", password=PASSWORD)
    Preferences.objects.create(user=User.objects.get(username="traveller"), time_zone="Asia/Tokyo")

    assert client.post(reverse("login"), {"username": "traveller", "password": PASSWORD}).status_code == 302

    assert '<option value="Asia/Tokyo" selected>' in client.get(reverse("profile")).content.decode()
