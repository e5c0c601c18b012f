"""The studio's question pages (the question editor, preview and publish), mounted inside studio_urls."""

from __future__ import annotations

urlpatterns: list = []
