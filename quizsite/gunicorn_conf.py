"""gunicorn's settings for serving the site (`make serve`; `gunicorn -c quizsite/gunicorn_conf.py
quizsite.wsgi`). Every value can be changed from the environment; the defaults are the ones measured best on
the 2-core server of README.md's "Performance" section (`make bench-load`).

Workers and threads: a request spends part of its time waiting on PostgreSQL, so each worker process runs a
few threads (gthread) and there is one process per core; more processes than cores only made them take
turns on the CPU. The per-process memory of published revisions (lessons.selectors.revisions) and of the take
page's question forms (lessons.web.question_fragments) is shared by a process's threads, and built once per
process: fewer processes build it fewer times.

Measured with `make bench-load` on the 2-core server of README.md, endpoint runs only (`WEB_WORKERS=W
WEB_THREADS=T make bench-load BENCH_ARGS="--class-day '' --submitters 300 --seconds 5"`), each share against
the yardstick served by the same W x T in the same run; the machine was shared (load average 21-24), so the
yardstick itself swung between 50 and 320 requests/s:

| W x T | autosave | player | submit | gradebook | item analysis |
|---|---|---|---|---|---|
| 2 x 4 | 20.8 % | 2.4 % | 8.7 % | 6.3 % | 5.9 % |
| 2 x 8 | 12.4 % | 4.5 % | 7.4 % | 7.2 % | 5.4 % |
| 4 x 2 | 14.2 % | 2.1 % | 14.1 % | 6.8 % | 3.8 % |
| 1 x 8 | 12.1 % | 12.7 % | 8.7 % | 6.5 % | 3.0 % |

No setting was better on every endpoint beyond the noise; 4 x 2 had the lowest absolute rates (7 autosaves/s
against 19-37 for the others at the same load), so processes stay at one per core, and 4 threads each keep
PostgreSQL's waits covered without more threads contending for one interpreter lock. Re-run the four on a
quiet machine before changing them.
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
# A class arriving at the bell opens a connection per student at once: each worker holds up to
# `worker_connections` of them (waiting for a thread, or idle in keep-alive), and the kernel queues up to
# `backlog` more not yet accepted (capped by net.core.somaxconn, 4096 on the server). Both are gunicorn's
# defaults, said here because a class day of 1,000 students needs them: 1,000 connections at once fit
# both. What failed requests on such a day was CPU (requests answered after the client's 30 s), not these.
worker_connections = _int("WEB_WORKER_CONNECTIONS", 1000)
backlog = _int("WEB_BACKLOG", 2048)
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
