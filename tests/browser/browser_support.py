"""Helpers shared by the browser tests (fixtures are in conftest.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import BrowserContext


def sign_in(context: BrowserContext, live_server: Any, user: User) -> BrowserContext:
    """Sign the browser in with a session cookie, without the login form (the tests of logging in use it)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


def until(condition: Callable[[], bool], *, timeout: float = 10.0, what: str = "the condition") -> None:
    """Wait until `condition()` holds (a save reaching the database, say), checking every 50 ms; fail after
    `timeout` seconds. For what the page cannot show: its status may still show an earlier save."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not hold within {timeout} s")
        time.sleep(0.05)
