#!/usr/bin/env bash
# Start/stop the demo web server (gunicorn) and worker (huey) in the background.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=var/run; LOG=var/log
mkdir -p "$RUN" "$LOG"
PY=.venv/bin/python

# stop_one NAME SIGNAL SECONDS: send SIGNAL, wait up to SECONDS for the process to exit, then kill it.
# The worker gets SIGINT: huey treats SIGTERM as an immediate stop (a task in flight, e.g. a batch of
# notification e-mails, is cut off) and SIGINT as a graceful one (running tasks finish first).
stop_one() {
  local f="$RUN/$1.pid" signal=${2:-TERM} seconds=${3:-5}
  if [ -f "$f" ]; then
    local pid; pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
      kill -s "$signal" "$pid" 2>/dev/null || true
      for _ in $(seq 1 $((seconds * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      if kill -0 "$pid" 2>/dev/null; then
        echo "$1 (pid $pid) did not stop within ${seconds}s; killing it." >&2
        kill -9 "$pid" 2>/dev/null || true
      fi
    fi
    rm -f "$f"
  fi
}

stop_all() {
  stop_one web TERM 5
  stop_one worker INT 60
}

case "${1:-start}" in
  stop)
    stop_all; echo "Sinergi demo stopped." ;;
  start)
    HOST=${2:-127.0.0.1}; PORT=${3:-8000}
    stop_all
    if command -v ss >/dev/null && ss -ltn "sport = :$PORT" | grep -q LISTEN; then
      echo "Port $PORT is already in use by another program; stop it or run 'make demo PORT=8001'." >&2
      exit 1
    fi
    nohup $PY manage.py run_huey >"$LOG/worker.log" 2>&1 &
    echo $! >"$RUN/worker.pid"
    nohup .venv/bin/gunicorn config.wsgi -b "$HOST:$PORT" -w 2 -k gthread --threads 4 \
      --access-logfile "$LOG/access.log" --error-logfile "$LOG/web.log" >>"$LOG/app.log" 2>&1 &
    echo $! >"$RUN/web.pid"
    for _ in $(seq 1 60); do
      code=$(curl -s -o /dev/null -w '%{http_code}' "http://$HOST:$PORT/healthz" || true)
      [ "$code" = "200" ] && break
      sleep 0.5
    done
    if [ "$code" != "200" ]; then
      echo "Sinergi did not become healthy (healthz: $code). See var/log/." >&2
      curl -s "http://$HOST:$PORT/healthz" >&2 || true
      exit 1
    fi
    echo "Web (gunicorn) and worker (huey) are running; logs in var/log/, stop with 'make stop'." ;;
esac
