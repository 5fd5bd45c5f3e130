#!/usr/bin/env bash
# Load run: gunicorn with production settings on PostgreSQL, wrk at 50 connections for
# DURATION seconds over the main pages, and (unless RESTART=0) a PostgreSQL restart half-way.
# Prints wrk's summary and the health check before and after. Traffic stays on 127.0.0.1.
#   bash bench/load.sh            # defaults: 180 s, 50 connections, restart at 90 s
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-180}
CONNECTIONS=${CONNECTIONS:-50}
RESTART=${RESTART:-1}
PORT=${PORT:-8099}
DB=${DB:-coopdash_load}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }

export DJANGO_DEBUG=false DJANGO_SECRET_KEY=load-run-secret-key-not-for-production-use-0123456789
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=false
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py load_curated -v0
.venv/bin/python manage.py collectstatic --no-input -v0

.venv/bin/gunicorn -c python:coopdash.gunicorn coopdash.wsgi --bind "127.0.0.1:$PORT" \
    --access-logfile /dev/null --error-logfile /tmp/coopdash-load-gunicorn.log --daemon \
    --pid /tmp/coopdash-load.pid
trap 'kill "$(cat /tmp/coopdash-load.pid)" 2>/dev/null || true' EXIT
sleep 2
echo "health before: $(curl -s "http://127.0.0.1:$PORT/health/")"
if [ "$RESTART" = 1 ]; then
    ( sleep $(( DURATION / 2 )); echo "$(date +%T) restarting PostgreSQL";
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -n | tail -1)" main restart;
      echo "$(date +%T) PostgreSQL back" ) &
fi
wrk --threads 2 --connections "$CONNECTIONS" --duration "${DURATION}s" --timeout 10s --latency \
    --script bench/pages.lua "http://127.0.0.1:$PORT"
wait
echo "health after: $(curl -s "http://127.0.0.1:$PORT/health/")"
grep -c "Traceback" /tmp/coopdash-load-gunicorn.log | sed 's/^/tracebacks in the server log: /' || true
