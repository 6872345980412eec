#!/usr/bin/env bash
# Scale-out rehearsal on loopback (NOT run in CI: it creates PostgreSQL clusters and needs root):
# PostgreSQL primary + streaming replica (pg_createcluster, pg_basebackup -R), shared Redis and storage,
# two gunicorn instances behind nginx, two huey workers. Writes benchmarks/results/scale_out.{md,json}.
#   sudo scripts/rehearse_scale_out.sh [SECONDS_PER_PHASE] [USERS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-20}; USERS=${2:-8}
VER=$(ls /etc/postgresql | sort -n | tail -1)
P=5442; R=5443; APP1=8611; APP2=8612; NGX=8610
PY=$PWD/.venv/bin/python
WORK=$(mktemp -d /tmp/sinergi-rehearsal.XXXXXX); chmod 755 "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [[ -f "$WORK/nginx.pid" ]] && nginx -c "$WORK/nginx.conf" -s stop 2>/dev/null || true
  for c in sinergi_rh_replica sinergi_rh_primary; do pg_dropcluster --stop "$VER" "$c" 2>/dev/null || true; done
  redis-cli -n 11 flushdb >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
command -v nginx >/dev/null || apt-get install -y -qq nginx >/dev/null

echo "== PostgreSQL primary :$P and streaming replica :$R"
pg_createcluster "$VER" sinergi_rh_primary -p $P -- --auth=trust >/dev/null
pg_ctlcluster "$VER" sinergi_rh_primary start
pg_createcluster "$VER" sinergi_rh_replica -p $R -- --auth=trust >/dev/null
RDATA=/var/lib/postgresql/$VER/sinergi_rh_replica
rm -rf "${RDATA:?}"/*
su postgres -c "pg_basebackup -h 127.0.0.1 -p $P -U postgres -D $RDATA -R -X stream"
pg_ctlcluster "$VER" sinergi_rh_replica start
createdb -h 127.0.0.1 -p $P -U postgres sinergi

export DJANGO_SETTINGS_MODULE=config.settings.base SINERGI_DATA_DIR=$WORK/data SINERGI_REQUIRE_2FA=false
export DATABASE_URL=postgres://postgres@127.0.0.1:$P/sinergi DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$R/sinergi
export REDIS_URL=redis://127.0.0.1:6379/11 DJANGO_SECRET_KEY="rh-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')"
export SINERGI_FIELD_KEYS=$($PY -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
export SINERGI_BLIND_INDEX_KEY="rh-$(head -c 32 /dev/urandom | base64 | tr -d '/+=')" AXES_FAILURE_LIMIT=1000
redis-cli -n 11 flushdb >/dev/null
$PY manage.py migrate --noinput -v 0
CASE=$($PY scripts/rehearse_scale_out.py seed | tail -1)
sleep 1
echo "replica lag check: $(psql -h 127.0.0.1 -p $R -U postgres -d sinergi -Atc 'select count(*) from cases_case') case(s) on the replica"

start_app() { .venv/bin/gunicorn config.wsgi -b 127.0.0.1:$1 -w 2 --timeout 30 >"$WORK/app$1.log" 2>&1 & PIDS+=($!); eval "APP_PID_$1=$!"; }
nginx_conf() {
  cat >"$WORK/nginx.conf" <<NGINX
pid $WORK/nginx.pid; error_log $WORK/nginx-error.log; worker_processes 1;
events { worker_connections 256; }
http { access_log off;
  upstream sinergi { $(for port in "$@"; do echo "server 127.0.0.1:$port max_fails=1 fail_timeout=30s;"; done) }
  server { listen 127.0.0.1:$NGX;
    location / { proxy_pass http://sinergi; proxy_set_header Host \$host; proxy_next_upstream error timeout http_502;
      proxy_set_header X-Forwarded-For \$remote_addr; } } }
NGINX
}
start_app $APP1; start_app $APP2
for _ in $(seq 1 60); do
  curl -s -o /dev/null -m 2 http://127.0.0.1:$APP1/accounts/login/ && curl -s -o /dev/null -m 2 http://127.0.0.1:$APP2/accounts/login/ && break
  sleep 1
done

echo "== load: one app instance"
nginx_conf $APP1; nginx -c "$WORK/nginx.conf"
$PY scripts/rehearse_scale_out.py load http://127.0.0.1:$NGX "$CASE" "$SECS" "$USERS" "$WORK/one.json"
echo "== load: two app instances"
nginx_conf $APP1 $APP2; nginx -c "$WORK/nginx.conf" -s reload; sleep 1
$PY scripts/rehearse_scale_out.py load http://127.0.0.1:$NGX "$CASE" "$SECS" "$USERS" "$WORK/two.json"
echo "== load: app instance 1 stopped halfway"
( sleep $((SECS / 2)); kill -TERM "$APP_PID_8611" ) &
$PY scripts/rehearse_scale_out.py load http://127.0.0.1:$NGX "$CASE" "$SECS" "$USERS" "$WORK/failover.json"

echo "== two huey workers, one killed with kill -9"
$PY scripts/rehearse_scale_out.py worker >"$WORK/w1.log" 2>&1 & W1=$!; PIDS+=($W1)
$PY scripts/rehearse_scale_out.py worker >"$WORK/w2.log" 2>&1 & W2=$!; PIDS+=($W2)
sleep 3
$PY scripts/rehearse_scale_out.py enqueue 400
sleep 2; kill -9 $W1
for _ in $(seq 1 60); do [[ "$(redis-cli -n 11 zcard huey.redis.sinergi)" == 0 ]] && break; sleep 1; done
sleep 2
runs=$(redis-cli -n 11 --scan --pattern 'rehearsal:runs:*' | wc -l)
twice=0; for k in $(redis-cli -n 11 --scan --pattern 'rehearsal:runs:*'); do [[ "$(redis-cli -n 11 get "$k")" -gt 1 ]] && twice=$((twice + 1)); done
done_items=$(redis-cli -n 11 --scan --pattern 'rehearsal:done:*' | wc -l)

COMMIT=$(git rev-parse --short HEAD)
$PY - "$WORK" "$COMMIT" "$runs" "$twice" "$done_items" "$SECS" "$USERS" <<'PYEOF'
import json, sys, platform, os
work, commit, runs, twice, done, secs, users = sys.argv[1:]
load = {k: json.load(open(f"{work}/{k}.json")) for k in ("one", "two", "failover")}
report = {"commit": commit, "cpus": os.cpu_count(), "seconds_per_phase": float(secs), "users": int(users),
          "load": load, "tasks": {"enqueued": 400, "started": int(runs), "run_twice": int(twice), "done": int(done)}}
json.dump(report, open("benchmarks/results/scale_out.json", "w"), indent=2)
rows = "\n".join(f"| {k} | {v['requests']} | {v['requests_per_second']} | {v['stale_reads']} | {v['lost_sessions']} | {v['errors']} |"
                 for k, v in load.items())
t = report["tasks"]
open("benchmarks/results/scale_out.md", "w").write(f"""# Scale-out rehearsal (scripts/rehearse_scale_out.sh)

Commit {commit}, {report['cpus']} CPU cores shared with other work, loopback only. PostgreSQL {platform.node() and ''}primary
+ streaming replica (pg_basebackup -R), reads routed to the replica with read-your-own-writes; shared Redis
(cache, rate limits, huey); sessions in PostgreSQL; shared storage folder; gunicorn 2 sync workers per
instance behind nginx. {users} users, each looping: POST a case note, then GET the timeline and check the
note is there. {secs} s per phase.

| phase | requests | req/s | stale reads | lost sessions | errors |
|---|---|---|---|---|---|
{rows}

"failover": app instance 1 is stopped (SIGTERM) halfway; nginx sends the rest to instance 2.

Huey: {t['enqueued']} idempotent tasks (per-item mark, SET NX) over two workers; one worker killed with
kill -9 while they ran: {t['started']} started, {t['run_twice']} run twice, {t['done']} marked done
(huey delivers at most once: a task in the killed worker's hands is lost, never repeated).
""")
print(open("benchmarks/results/scale_out.md").read())
PYEOF
