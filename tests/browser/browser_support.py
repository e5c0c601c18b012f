"""Helpers shared by the browser tests (fixtures are in conftest.py)."""

from __future__ import annotations

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
