"""Gunicorn settings used by scripts/serve and the benchmark.

Every value can be overridden from the environment (GUNICORN_*), so the same
file serves a laptop and a production host.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers. With SQLite a request never waits on the network, so one worker per
# core keeps every core busy; more only add context switches (measured with
# scripts/bench on 2 cores: 2 workers served the uncached article page at ~450 req/s,
# 4 workers at 260-470). With PostgreSQL a worker waits for each query's round trip,
# so two per core keep the CPUs busy while one waits.
_network_database = os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql", "postgis"))
# The cores this process may use (cgroup/affinity aware), and never fewer than two
# workers, so one slow request cannot hold up every reader.
_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
workers = int(os.environ.get("GUNICORN_WORKERS", max(2, _cores * (2 if _network_database else 1))))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound; not too often,
# because a recycled worker starts with an empty local-memory page cache (a cache hit
# costs well under a millisecond, so 20,000 requests is a few seconds to minutes of load).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "2000"))
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
errorlog = "-"
