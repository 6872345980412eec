#!/usr/bin/env bash
# Scale-out rehearsal on loopback (NOT run in CI: it creates PostgreSQL clusters and needs root):
# PostgreSQL primary + streaming replica (pg_createcluster, pg_basebackup -R), shared Redis and storage,
# two gunicorn instances behind nginx, two huey workers. Writes benchmarks/results/scale_out.{md,json}.
#   sudo scripts/rehearse_scale_out.sh [SECONDS_PER_PHASE] [USERS]
# Everything it starts (clusters, nginx, gunicorn, workers, Redis db 11, the work folder) is removed on
# exit, also when a step fails or the run is interrupted (Ctrl-C or SIGTERM: once the running step returns).
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-20}; USERS=${2:-8}
VER=$(ls /etc/postgresql | sort -n | tail -1)
P=5442; R=5443; APP1=8611; APP2=8612; NGX=8610; RDB=11
PY=$PWD/.venv/bin/python
CLUSTERS=(sinergi_rh_replica sinergi_rh_primary)
WORK=$(mktemp -d /tmp/sinergi-rehearsal.XXXXXX); chmod 755 "$WORK"
PIDS=()
cleanup() {
  local rc=$?
  set +e
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null
  done
  [[ -f "$WORK/nginx.pid" ]] && nginx -c "$WORK/nginx.conf" -s stop 2>/dev/null
  for c in "${CLUSTERS[@]}"; do pg_dropcluster --stop "$VER" "$c" 2>/dev/null; done
  redis-cli -n $RDB flushdb >/dev/null 2>&1
  if [[ $rc != 0 ]]; then
    echo "!! rehearsal failed (exit $rc); last lines of the logs:" >&2
    tail -n 20 "$WORK"/*.log >&2 2>/dev/null
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
command -v nginx >/dev/null || apt-get install -y -qq nginx >/dev/null
# A previous run killed with SIGKILL could not clean up: remove its clusters before creating ours.
for c in "${CLUSTERS[@]}"; do pg_dropcluster --stop "$VER" "$c" 2>/dev/null || true; done
for port in $P $R $APP1 $APP2 $NGX; do
  if ss -ltn "sport = :$port" | grep -q LISTEN; then echo "port $port is in use" >&2; exit 1; fi
done
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== PostgreSQL $VER primary :$P and streaming replica :$R"
pg_createcluster "$VER" sinergi_rh_primary -p $P -- --auth=trust >/dev/null
pg_ctlcluster "$VER" sinergi_rh_primary start
pg_createcluster "$VER" sinergi_rh_replica -p $R -- --auth=trust >/dev/null
RDATA=/var/lib/postgresql/$VER/sinergi_rh_replica
rm -rf "${RDATA:?}"/*
su postgres -c "pg_basebackup -h 127.0.0.1 -p $P -U postgres -D $RDATA -R -X stream"
pg_ctlcluster "$VER" sinergi_rh_replica start
createdb -h 127.0.0.1 -p $P -U postgres sinergi

# Production-like: 2FA enforced (case managers pass the TOTP step), one trusted proxy (nginx) so each
# client's address comes from X-Forwarded-For, Argon2 passwords, DEBUG off, hashed static files.
export DJANGO_SETTINGS_MODULE=config.settings.base SINERGI_DATA_DIR=$WORK/data SINERGI_TRUSTED_PROXIES=1
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL=postgres://postgres@127.0.0.1:$P/sinergi DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$R/sinergi
export REDIS_URL=redis://127.0.0.1:6379/$RDB DJANGO_SECRET_KEY="rh-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')"
export SINERGI_FIELD_KEYS=$($PY -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
export SINERGI_BLIND_INDEX_KEY="rh-$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
redis-cli -n $RDB flushdb >/dev/null
$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0
SESSION_ENGINE=$($PY -c 'import django; django.setup(); from django.conf import settings; print(settings.SESSION_ENGINE)')
$PY scripts/rehearse_scale_out.py seed "$WORK/users.json" $((5 * USERS + 2))
sleep 1
REPLICA_CASES=$(psql -h 127.0.0.1 -p $R -U postgres -d sinergi -Atc 'select count(*) from cases_case')
echo "replica: $REPLICA_CASES case(s) streamed"

start_app() {
  .venv/bin/gunicorn config.wsgi -b 127.0.0.1:$1 -w 2 --timeout 30 --graceful-timeout 10 >"$WORK/app$1.log" 2>&1 &
  PIDS+=($!); eval "APP_PID_$1=$!"
}
nginx_conf() {
  cat >"$WORK/nginx.conf" <<NGINX
pid $WORK/nginx.pid; error_log $WORK/nginx-error.log; worker_processes 1;
events { worker_connections 512; }
http { access_log off;
  upstream sinergi { $(for port in "$@"; do echo "server 127.0.0.1:$port max_fails=1 fail_timeout=30s;"; done) }
  server { listen 127.0.0.1:$NGX;
    client_max_body_size 25m;
    location / { proxy_pass http://sinergi;
      # \$http_host keeps the port: Django compares a POST's Origin (http://127.0.0.1:$NGX) with it.
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Request-ID \$request_id;
      proxy_next_upstream error timeout http_502; } } }
NGINX
}
start_app $APP1; start_app $APP2
for _ in $(seq 1 90); do
  curl -fs -o /dev/null -m 2 http://127.0.0.1:$APP1/accounts/login/ && curl -fs -o /dev/null -m 2 http://127.0.0.1:$APP2/accounts/login/ && break
  sleep 1
done
curl -fs -o /dev/null -m 5 http://127.0.0.1:$APP1/accounts/login/
curl -fs -o /dev/null -m 5 http://127.0.0.1:$APP2/accounts/login/

load() { $PY scripts/rehearse_scale_out.py load http://127.0.0.1:$NGX "$WORK/users.json" "$@"; }
# One, two, two, one instance(s) (ABBA): the other work on this shared machine drifts, and the order
# would otherwise favour whichever setup runs first. Each phase signs in fresh users (a TOTP code is
# accepted once).
echo "== load: one app instance"
nginx_conf $APP1; nginx -c "$WORK/nginx.conf"
load 0 "$USERS" "$SECS" "$WORK/one.json"
echo "== load: two app instances, twice"
nginx_conf $APP1 $APP2; nginx -c "$WORK/nginx.conf" -s reload; sleep 2
load "$USERS" "$USERS" "$SECS" "$WORK/two.json"
load $((2 * USERS)) "$USERS" "$SECS" "$WORK/two_b.json"
echo "== load: one app instance again"
nginx_conf $APP1; nginx -c "$WORK/nginx.conf" -s reload; sleep 2
load $((3 * USERS)) "$USERS" "$SECS" "$WORK/one_b.json"
nginx_conf $APP1 $APP2; nginx -c "$WORK/nginx.conf" -s reload; sleep 2
echo "== read-your-own-writes and logout with the replica's replay paused"
$PY scripts/rehearse_scale_out.py consistency http://127.0.0.1:$NGX "$WORK/users.json" $((5 * USERS)) "$WORK/consistency.json"
echo "== load: app instance 1 stopped (SIGTERM) halfway"
load $((4 * USERS)) "$USERS" "$SECS" "$WORK/failover.json" "$APP_PID_8611"

echo "== two huey workers, one killed with kill -9"
$PY scripts/rehearse_scale_out.py worker >"$WORK/w1.log" 2>&1 & W1=$!; PIDS+=($W1)
$PY scripts/rehearse_scale_out.py worker >"$WORK/w2.log" 2>&1 & W2=$!; PIDS+=($W2)
sleep 3
$PY scripts/rehearse_scale_out.py enqueue 400
sleep 2; kill -9 $W1
for _ in $(seq 1 60); do [[ "$(redis-cli -n $RDB zcard huey.redis.sinergi)" == 0 ]] && break; sleep 1; done
sleep 2
runs=$(redis-cli -n $RDB --scan --pattern 'rehearsal:runs:*' | wc -l)
twice=0; for k in $(redis-cli -n $RDB --scan --pattern 'rehearsal:runs:*'); do [[ "$(redis-cli -n $RDB get "$k")" -gt 1 ]] && twice=$((twice + 1)); done
done_items=$(redis-cli -n $RDB --scan --pattern 'rehearsal:done:*' | wc -l)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

COMMIT=$(git rev-parse --short HEAD)
DIRTY=$(git status --porcelain --untracked-files=no -- sinergi config scripts | wc -l)
PGV=$(psql -h 127.0.0.1 -p $P -U postgres -Atc 'show server_version')
$PY - "$WORK" "$COMMIT" "$DIRTY" "$runs" "$twice" "$done_items" "$SECS" "$USERS" "$LOAD_BEFORE" "$LOAD_AFTER" "$PGV" "$REPLICA_CASES" "$SESSION_ENGINE" <<'PYEOF'
import datetime, json, os, platform, sys
work, commit, dirty, runs, twice, done, secs, users, load_before, load_after, pgv, replica_cases, sessions = sys.argv[1:]
load = {k: json.load(open(f"{work}/{k}.json")) for k in ("one", "two", "two_b", "one_b", "failover")}
mean = lambda keys, f: round(sum(f(load[k]) for k in keys) / len(keys), 1)
summary = {
    f"{n}_instance{'s' if n == 2 else ''}": {
        "requests_per_second": mean(keys, lambda v: v["requests_per_second"]),
        "p50_ms": mean(keys, lambda v: v["latency_ms"]["p50"]),
        "p95_ms": mean(keys, lambda v: v["latency_ms"]["p95"]),
    }
    for n, keys in ((1, ("one", "one_b")), (2, ("two", "two_b")))
}
consistency = json.load(open(f"{work}/consistency.json"))
report = {
    "commit": commit + ("+uncommitted" if int(dirty) else ""),
    "date": datetime.date.today().isoformat(),
    "machine": {"cpus": os.cpu_count(), "shared": True, "load_average_before": load_before,
                "load_average_after": load_after, "python": platform.python_version(), "postgresql": pgv},
    "seconds_per_phase": float(secs), "users_per_phase": int(users), "replica_cases_after_seed": int(replica_cases),
    "session_engine": sessions,
    "throughput": summary, "load": load, "replica_paused": consistency,
    "tasks": {"enqueued": 400, "started": int(runs), "run_twice": int(twice), "done": int(done)},
}
json.dump(report, open("benchmarks/results/scale_out.json", "w"), indent=2)
json_row = lambda k, v: (
    f"| {k} | {v['requests']} | {v['requests_per_second']} | {v['latency_ms']['p50']} | {v['latency_ms']['p95']} "
    f"| {v['reads_after_write']} | {v['stale_reads']} | {v['plain_reads']} | {v['lost_sessions']} | {v['errors']} "
    f"| {v['db_transactions']['primary']} | {v['db_transactions']['replica']} | {v['load_average_at_start']} |"
)
rows = "\n".join(json_row(k, v) for k, v in load.items())
t, c, m = report["tasks"], consistency, report["machine"]
yes = lambda b: "yes" if b else "**NO**"
open("benchmarks/results/scale_out.md", "w").write(f"""# Scale-out rehearsal (scripts/rehearse_scale_out.sh)

Commit {report['commit']}, {report['date']}. Machine: {m['cpus']} CPU cores shared with other work (load average
{m['load_average_before']} before the run, {m['load_average_after']} after), loopback only; the load generator
runs on the same two cores. PostgreSQL {m['postgresql']} primary + streaming replica (pg_basebackup -R); reads of
safe requests go to the replica unless the user wrote in the last 30 s (read-your-own-writes cookie); sessions,
accounts, tokens and 2FA devices are always read from the primary. Sessions live in PostgreSQL
(`SESSION_ENGINE = {sessions}`, on the primary), so both app instances serve every session. Shared Redis (cache, rate limits, huey) and one
storage folder. Each app instance: gunicorn, 2 sync workers, behind nginx (Host with port, X-Forwarded-For,
one trusted proxy). 2FA enforced: every user signs in through the login form and the TOTP step, from its own
loopback address (127.0.1.N).

{users} users per phase (each phase with fresh users), measured for {secs} s after all signed in. Even users
write: POST a note, then GET the timeline and look for the note ("reads after write"; "stale" = note missing).
Odd users only read the timeline, their pin cookie expired ("plain reads"). Latency: every request, in ms.
"primary/replica xacts": committed transactions on each server during the phase (pg_stat_database).

| phase | requests | req/s | p50 ms | p95 ms | reads after write | stale | plain reads | lost sessions | errors | primary xacts | replica xacts | load avg at start |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
{rows}

Mean of the two phases each: one instance {summary['1_instance']['requests_per_second']} req/s (p50
{summary['1_instance']['p50_ms']} ms, p95 {summary['1_instance']['p95_ms']} ms); two instances
{summary['2_instances']['requests_per_second']} req/s (p50 {summary['2_instances']['p50_ms']} ms, p95
{summary['2_instances']['p95_ms']} ms).

- "one", "two", "two_b", "one_b": nginx sends to app instance 1 only, or to both, in ABBA order (same run,
  same data), so that drift in the machine's other load does not favour one setup.
- "failover": app instance 1 is stopped with SIGTERM after {load['failover'].get('stopped_instance_after_seconds')} s;
  nginx (`proxy_next_upstream error`) sends the rest to instance 2. Responses in that phase:
  {', '.join(f"{k}: {v}" for k, v in sorted(load['failover']['statuses'].items()))}. A POST that instance 1
  had already received when it closed its socket is answered 502 and not retried: nginx never replays a
  non-idempotent request (it may have been applied); a GET is retried on instance 2.

## Replica deliberately behind (WAL replay paused), through nginx

| check | result |
|---|---|
| the writer reads its own new note (primary) | {yes(c['writer_sees_own_note'])} |
| the same account past its pin reads the timeline without it (served by the stale replica) | {yes(c['plain_read_served_by_stale_replica'])} (HTTP {c['plain_read_status']}) |
| a copy of a session cookie is refused right after its owner logs out | {yes(c['logged_out_cookie_refused'])} (HTTP {c['logged_out_cookie_status']}) |
| after replay resumes the plain read sees the note | {yes(c['plain_read_after_catch_up_sees_note'])} |

## Workers

{t['enqueued']} idempotent tasks (per-item mark, SET NX) over two huey workers; one worker killed with
kill -9 while they ran: {t['started']} started, {t['run_twice']} run twice, {t['done']} marked done
(huey delivers at most once: a task in the killed worker's hands is lost, never repeated).
""")
print(open("benchmarks/results/scale_out.md").read())
PYEOF
