"""gunicorn's settings for serving the site (`make serve`; `gunicorn -c quizsite/gunicorn_conf.py
quizsite.wsgi`). Every value can be changed from the environment; the defaults are the ones measured best on
the 2-core server of README.md's "Performance" section (`make bench-load`).

Workers and threads: a request spends part of its time waiting on PostgreSQL, so each worker process runs a
few threads (gthread) and there is one process per core; more processes than cores only made them take
turns on the CPU. The per-process memory of published revisions (lessons.selectors.revisions) is shared by a
process's threads.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


_address = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
bind = os.environ.get("GUNICORN_BIND") or _address
workers = _int("WEB_WORKERS", multiprocessing.cpu_count())
threads = _int("WEB_THREADS", 4)
worker_class = "gthread"
# A request is never allowed to hold a worker for longer (the longest, a roster import, takes a few seconds);
# on a restart, requests in flight get as long to finish.
timeout = _int("WEB_TIMEOUT", 30)
graceful_timeout = _int("WEB_GRACEFUL_TIMEOUT", 30)
# Idle keep-alive connections a thread waits on (the site sits behind a proxy that reuses them).
keepalive = _int("WEB_KEEPALIVE", 5)
# Each worker is replaced after this many requests (spread by the jitter so they are not replaced together),
# which bounds what a slow leak can hold.
max_requests = _int("WEB_MAX_REQUESTS", 2000)
max_requests_jitter = _int("WEB_MAX_REQUESTS_JITTER", 200)
# The heartbeat file lives in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 -- gunicorn's own advice
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None
errorlog = "-"
# Behind our proxy only (settings.BEHIND_PROXY): gunicorn then believes its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
