"""The yardstick of `make bench-load`: a bare Django that answers one view doing one primary-key SELECT.

Settings, URLconf and WSGI application in one module, served by the same gunicorn settings
(quizsite/gunicorn_conf.py) on the same database as the site, so that the site's figures can be given as a
share of what Django itself manages on this machine in the same run ("db1").

    DJANGO_SETTINGS_MODULE=yardstick gunicorn -c quizsite/gunicorn_conf.py --pythonpath tests/perf yardstick
"""

from __future__ import annotations

import os

import dj_database_url
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = __name__
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
USE_TZ = True
DATABASES = {
    "default": dj_database_url.config(conn_max_age=600, conn_health_checks=True),
}


def db1(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM auth_user WHERE id = %s", [1])
        row = cursor.fetchone()
    return HttpResponse(f"{row[0] if row else 0}\n", content_type="text/plain")


urlpatterns = [path("db1/", db1)]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", __name__)
application = get_wsgi_application()
