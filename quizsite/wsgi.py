"""The entry point of a server process (gunicorn, runserver): production settings unless told otherwise."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings.production")
application = get_wsgi_application()

# Settings and apps are loaded now: refuse to serve a site whose static files were never collected.
from lessons.web.operations import require_static_manifest  # noqa: E402

require_static_manifest()
