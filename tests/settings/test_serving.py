"""Serving as in production: gunicorn's settings file, the cached template loader, compressed static files
with far-future caching."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType
from unittest import mock

from django.conf import settings
from test_deploy_settings import production_setting

ROOT = Path(settings.BASE_DIR)


def gunicorn_settings(**env: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "quizsite" / "gunicorn_conf.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ, env):
        spec.loader.exec_module(module)
    return module


def test_gunicorn_runs_threaded_workers_that_time_out_and_are_replaced_at_staggered_counts() -> None:
    conf = gunicorn_settings()

    assert conf.worker_class == "gthread" and conf.workers >= 1 and conf.threads > 1
    assert 0 < conf.timeout <= 60 and conf.graceful_timeout > 0
    assert conf.max_requests > 0 and 0 < conf.max_requests_jitter < conf.max_requests


def test_gunicorn_settings_come_from_the_environment() -> None:
    conf = gunicorn_settings(WEB_WORKERS="3", WEB_THREADS="8", PORT="9001", WEB_MAX_REQUESTS="500")

    assert (conf.workers, conf.threads, conf.bind, conf.max_requests) == (3, 8, "127.0.0.1:9001", 500)


def test_make_serve_runs_gunicorn_with_this_file_under_production_settings() -> None:
    makefile = (ROOT / "Makefile").read_text()
    serve = makefile[makefile.index("\nserve:") :].split("\n\n")[0]

    assert "gunicorn -c quizsite/gunicorn_conf.py quizsite.wsgi" in serve
    assert "collectstatic" in serve and "quizsite.settings.production" in serve


def test_production_caches_compiled_templates() -> None:
    loaders = production_setting("settings.TEMPLATES[0]['OPTIONS']['loaders'][0][0]")

    assert loaders == "django.template.loaders.cached.Loader"


def test_production_serves_compressed_static_files_with_hashed_names() -> None:
    storage = production_setting("settings.STORAGES['staticfiles']['BACKEND']")

    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
