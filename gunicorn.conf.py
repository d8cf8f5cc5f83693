"""Gunicorn in production (Dockerfile, docker-compose) and in the load test of `make bench`.

Threads let a worker wait on the database or an upload for one request while it answers
another; workers follow the cores. Both can be set from the environment.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# long imports and exports run as background jobs (campaign.jobs), so no request needs more than
# an ordinary minute; a request still running then is stuck and its worker is replaced
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# phones keep their connection between two saves a few seconds apart; closing it after the
# default 2 s races with the next request (the client sees "connection reset")
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
max_requests = 2000  # recycle workers now and then: no slow leak lives forever
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
