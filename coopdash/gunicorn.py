"""gunicorn settings for coopdash: `gunicorn -c python:coopdash.gunicorn coopdash.wsgi`.

Each setting can be overridden on the command line or through GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

bind = os.environ.get("COOPDASH_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("COOPDASH_WORKERS", multiprocessing.cpu_count() + 1))
# Threads let a worker answer the health check and cached pages while another thread waits
# on a slow query, instead of queueing them behind it.
worker_class = "gthread"
threads = int(os.environ.get("COOPDASH_THREADS", "4"))
# A request still running after this long is stuck: gunicorn replaces its worker. Pages take
# well under 2 s and PostgreSQL cancels any statement after DJANGO_STATEMENT_TIMEOUT (5 s).
timeout = 30
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, so that no slow growth of memory lasts.
max_requests = 5000
max_requests_jitter = 500
