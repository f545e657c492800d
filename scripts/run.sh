#!/usr/bin/env bash
# `make run`: migrate, load demo data into an empty database, then serve the portal
# with the deadline engine (a Celery worker with embedded beat). Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-1}"
PY=.venv/bin/python
mkdir -p var/broker/queue var/broker/processed

$PY manage.py migrate --noinput
if ! $PY manage.py shell -c "import sys; from core.models import Unit; sys.exit(0 if Unit.objects.exists() else 1)"; then
  echo "Empty database: loading demo data (users staff, principal, district, admin; password \$DEMO_PASSWORD or demo12345)."
  $PY manage.py seed_demo
fi

# One engine run now, so that /healthz and the pages show it at once; beat takes over.
$PY manage.py check_deadlines

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo "Stopping..."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  exit 0
}
trap cleanup INT TERM EXIT

.venv/bin/celery -A cchc_portal worker --beat --loglevel=INFO --concurrency=2 \
  --schedule=var/celerybeat-schedule &
pids+=($!)
$PY manage.py runserver 127.0.0.1:8000 &
pids+=($!)
echo "CCHC Portal: http://127.0.0.1:8000/  (Ctrl-C to stop)"
wait -n "${pids[@]}"
