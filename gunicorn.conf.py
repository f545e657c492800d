"""gunicorn settings of the web process, read by the Docker image and docker-compose
(`gunicorn -c gunicorn.conf.py cchc_portal.wsgi`) and by `make load` / `make bench`
(bench/server.py), so the README's load figures are those of this file.

Threaded workers (gthread): a request waiting for PostgreSQL, Redis or a slow client holds
a thread, not a whole process, and a keep-alive connection (a load balancer's, a browser's)
is kept without tying up a worker. Each thread has its own database connection
(CONN_MAX_AGE), so one node opens WEB_WORKERS × WEB_THREADS connections to PostgreSQL:
keep it under max_connections (README "Scaling"). docs/decisions/web-throughput.md."""
import os

bind = os.environ.get("WEB_BIND", "0.0.0.0:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS", 2 * (os.cpu_count() or 1)))
threads = int(os.environ.get("WEB_THREADS", 4))
timeout = 60
graceful_timeout = 30
keepalive = 5
# Access log to stdout (docker logs); WEB_ACCESS_LOG="" turns it off (the load test does).
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None
# The workers' heartbeat files in memory, not on the container's overlay filesystem.
SHM = "/dev/shm"  # noqa: S108 - gunicorn's own advice for containers; only its heartbeat files go there
worker_tmp_dir = SHM if os.path.isdir(SHM) else None
