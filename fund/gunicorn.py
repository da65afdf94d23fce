"""gunicorn's settings, one file for every way the web runs: `scripts/run`, the compose deployment, the
Dockerfile and bench/withdrawal_decisions.py all start `gunicorn -c python:fund.gunicorn fund.wsgi`.

Threads, because a request spends much of its time waiting on PostgreSQL and Redis: 3 processes of 8
threads serve 20 members at once on 2 cores where 3 single-threaded processes queue them at the socket.
FUND_WEB_WORKERS and FUND_WEB_THREADS size it for another machine; FUND_WEB_BIND says where it listens.
"""

import os

bind = os.environ.get("FUND_WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("FUND_WEB_WORKERS", "3"))
threads = int(os.environ.get("FUND_WEB_THREADS", "8"))
worker_class = "gthread"


def post_worker_init(worker: object) -> None:
    """Each web process, once the application is loaded (fund.runtime)."""
    from fund.runtime import freeze_startup_objects

    freeze_startup_objects()
