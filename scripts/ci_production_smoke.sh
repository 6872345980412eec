#!/usr/bin/env bash
# CI: install Sinergi with scripts/install-production.sh on this machine (root, Debian 12, local
# PostgreSQL and Redis), then test it THROUGH NGINX as a user would: log in with password + TOTP, open a
# case, download its document, see the worker's heartbeat in /healthz. Runs the install twice (the
# second run must change nothing harmful). Everything lives under its own names (database
# sinergi_smoke, Redis db 12, user sinergi-smoke, loopback ports 18380/18443/18300) and is removed at
# the end, pass or fail. Bounded: every wait has a limit; the whole run takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

[ "$(id -u)" = 0 ] || { echo "ci_production_smoke: needs root (it installs system packages and a service user)" >&2; exit 1; }

NAME=sinergi-smoke
DB=sinergi_smoke
REDIS_DB=12
DOMAIN=sinergi-smoke.test
HTTP_PORT=18380
HTTPS_PORT=18443
WEB_PORT=18300
WORK=$(mktemp -d /tmp/sinergi-smoke.XXXXXX)
chmod 0755 "$WORK"
ETC=$WORK/etc
NGINX_CONF=$WORK/nginx.conf
JAR=$WORK/cookies.txt
STARTED=$SECONDS

INSTALL_ARGS=(
  --domain "$DOMAIN" --prefix "$WORK/opt" --data-dir "$WORK/data" --etc-dir "$ETC" --log-dir "$WORK/log"
  --run-dir "$WORK/run" --user "$NAME" --unit-prefix "$NAME" --unit-dir "$WORK/units" --bin-dir "$WORK/bin"
  --web-port "$WEB_PORT" --http-port "$HTTP_PORT" --https-port "$HTTPS_PORT" --listen-addr 127.0.0.1
  --web-workers 2 --db-name "$DB" --redis-url "redis://127.0.0.1:6379/$REDIS_DB" --init supervisor
  --nginx-site "$WORK/nginx-site.conf" --nginx-conf "$NGINX_CONF"
)

cleanup() {
  local rc=$?
  set +e
  if [ $rc -ne 0 ] && [ -d "$WORK/log" ]; then
    echo "---- logs (last lines)"; tail -n 40 "$WORK"/log/*.log 2>/dev/null
  fi
  bash "$REPO/scripts/install-production.sh" stop "${INSTALL_ARGS[@]}" >/dev/null 2>&1
  [ -f "$WORK/nginx.pid" ] && nginx -c "$NGINX_CONF" -s quit 2>/dev/null
  for _ in $(seq 1 50); do [ -f "$WORK/nginx.pid" ] || break; sleep 0.1; done
  runuser -u postgres -- psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" 2>/dev/null
  runuser -u postgres -- psql -q -d postgres -c "DROP ROLE IF EXISTS ${DB}_app" -c "DROP ROLE IF EXISTS ${DB}_owner" 2>/dev/null
  redis-cli -h 127.0.0.1 -n "$REDIS_DB" flushdb >/dev/null 2>&1
  id -u "$NAME" >/dev/null 2>&1 && userdel "$NAME" 2>/dev/null
  [ "${SMOKE_KEEP:-0}" = 1 ] && echo "kept $WORK (SMOKE_KEEP=1)" || rm -rf "$WORK"
  if [ $rc -eq 0 ]; then echo "production smoke: passed in $((SECONDS - STARTED)) s"; else echo "production smoke: FAILED" >&2; fi
  exit $rc
}
trap cleanup EXIT

fail() { echo "production smoke: $*" >&2; exit 1; }

# A main nginx file of its own: only the Sinergi site, on loopback ports, with its own pid file, so
# that nothing else of the machine's nginx starts or changes.
cat >"$NGINX_CONF" <<EOF
user www-data;
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $WORK/nginx-access.log;
    sendfile on;
    include $WORK/nginx-site.conf;
}
EOF
if ! command -v nginx >/dev/null; then
  # install-production.sh installs it, but this file is checked with `nginx -t` before that.
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
fi

echo "== install (1st run)"
timeout 900 bash scripts/install-production.sh "${INSTALL_ARGS[@]}"
keys_before=$(sha256sum "$ETC/keys.env" "$ETC/sinergi.env" "$ETC/db-owner.env")

echo "== units: complete, hardened, and accepted by systemd-analyze verify"
for unit in "$WORK/units/$NAME-web.service" "$WORK/units/$NAME-worker.service"; do
  for needle in '^\[Unit\]' '^\[Service\]' '^\[Install\]' '^WantedBy=multi-user.target' '^Restart=always' \
                '^NoNewPrivileges=yes' '^ProtectSystem=strict' '^ReadWritePaths=' '^PrivateTmp=yes' '^TimeoutStopSec='; do
    grep -q "$needle" "$unit" || fail "$unit lacks $needle"
  done
done
grep -q -- '--timeout 60' "$WORK/units/$NAME-web.service" || fail "gunicorn has no --timeout"
grep -q '^KillSignal=SIGINT' "$WORK/units/$NAME-worker.service" || fail "the worker is not stopped with SIGINT"
verify=$(systemd-analyze verify --man=no "$WORK/units/$NAME-web.service" "$WORK/units/$NAME-worker.service" 2>&1 || true)
verify=$(grep -v -E '^Unit .* not found|Failed to .*dependenc' <<<"$verify" || true)
[ -z "$verify" ] || fail "systemd-analyze verify reports: $verify"

echo "== secrets: mode 0600, outside the code, keys apart from the settings"
for f in "$ETC/sinergi.env" "$ETC/keys.env" "$ETC/db-owner.env"; do
  [ "$(stat -c %a "$f")" = 600 ] || fail "$f is not mode 0600"
done
grep -q '^SINERGI_FIELD_KEYS=' "$ETC/keys.env" && ! grep -q '^SINERGI_FIELD_KEYS=' "$ETC/sinergi.env" \
  || fail "the field keys must be in keys.env only"
field_key=$(sed -n 's/^SINERGI_FIELD_KEYS=//p' "$ETC/keys.env")
! grep -rqsF "$field_key" "$WORK/opt/app" "$WORK/data" || fail "the field key is stored beside the code or the data"
! runuser -u "$NAME" -- cat "$ETC/keys.env" >/dev/null 2>&1 || fail "the service user can read keys.env directly"

echo "== seed: a tenant, a case manager with TOTP, a case with a document (fictional)"
seed=$("$WORK/bin/$NAME-manage" shell <"$REPO/scripts/ci_smoke_seed.py" | sed -n 's/^SMOKE //p')
[ -n "$seed" ] || fail "the seed printed nothing"
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$seed" "$1"; }
USERNAME=$(field username); PASSWORD=$(field password); TOTP_KEY=$(field totp_key)
CASE_ID=$(field case_id); CASE_NUMBER=$(field case_number); DOC_ID=$(field document_id); DOC_SHA=$(field document_sha256)

BASE=https://$DOMAIN:$HTTPS_PORT
CURL=(curl -sS --max-time 20 --resolve "$DOMAIN:$HTTPS_PORT:127.0.0.1" --resolve "$DOMAIN:$HTTP_PORT:127.0.0.1"
      --cacert "$ETC/tls/selfsigned.crt" -b "$JAR" -c "$JAR")
csrf() { sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' "$1" | head -n 1; }
totp_now() {
  python3 - "$TOTP_KEY" <<'EOF'
import hashlib, hmac, struct, sys, time
key = bytes.fromhex(sys.argv[1])
digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
offset = digest[-1] & 0x0F
print(f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}")
EOF
}

smoke_through_nginx() {
  rm -f "$JAR"
  echo "-- HTTP redirects to HTTPS"
  code=$("${CURL[@]}" -o /dev/null -w '%{http_code} %{redirect_url}' "http://$DOMAIN:$HTTP_PORT/accounts/login/")
  [ "$code" = "301 $BASE/accounts/login/" ] || fail "HTTP did not redirect to HTTPS ($code)"

  echo "-- log in: password, then TOTP"
  "${CURL[@]}" -o "$WORK/login.html" "$BASE/accounts/login/"
  token=$(csrf "$WORK/login.html"); [ -n "$token" ] || fail "no CSRF token on the login page"
  code=$("${CURL[@]}" -o /dev/null -w '%{http_code} %{redirect_url}' -e "$BASE/accounts/login/" \
    --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=$USERNAME" \
    --data-urlencode "password=$PASSWORD" "$BASE/accounts/login/")
  [[ $code == "302 $BASE/accounts/2fa/verify/"* ]] || fail "password login did not ask for the TOTP code ($code)"
  "${CURL[@]}" -o "$WORK/verify.html" "$BASE/accounts/2fa/verify/"
  token=$(csrf "$WORK/verify.html")
  code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -e "$BASE/accounts/2fa/verify/" \
    --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "token=$(totp_now)" "$BASE/accounts/2fa/verify/")
  [ "$code" = 302 ] || fail "the TOTP code was refused ($code)"

  echo "-- open the case (HTML compressed by nginx)"
  code=$("${CURL[@]}" -o "$WORK/case.html.gz" -D "$WORK/case.headers" -w '%{http_code}' -H 'Accept-Encoding: gzip' \
    "$BASE/cases/$CASE_ID/")
  [ "$code" = 200 ] || fail "the case page answered $code"
  grep -qi '^content-encoding: gzip' "$WORK/case.headers" || fail "the case page was not gzip-compressed"
  gzip -dc "$WORK/case.html.gz" | grep -q "$CASE_NUMBER" || fail "the case page does not show case $CASE_NUMBER"
  grep -qi '^strict-transport-security:' "$WORK/case.headers" || fail "no HSTS header over HTTPS"

  echo "-- download the document"
  code=$("${CURL[@]}" -o "$WORK/document.bin" -D "$WORK/document.headers" -w '%{http_code}' \
    "$BASE/documents/$DOC_ID/download/")
  [ "$code" = 200 ] || fail "the download answered $code"
  [ "$(sha256sum <"$WORK/document.bin" | cut -d' ' -f1)" = "$DOC_SHA" ] || fail "the downloaded document differs"
  grep -qi '^content-disposition: attachment' "$WORK/document.headers" || fail "the document is not an attachment"

  echo "-- hashed static files are cached for a year"
  css=$(grep -o '/static/[^"]*\.[0-9a-f]\{12\}\.css' "$WORK/login.html" | head -n 1)
  [ -n "$css" ] || fail "the login page links no hashed stylesheet"
  "${CURL[@]}" -o /dev/null -D "$WORK/static.headers" "$BASE$css"
  grep -qi '^cache-control:.*max-age=31536000.*immutable' "$WORK/static.headers" || fail "$css is not cached long"

  echo "-- uploads larger than the app allows stop at nginx"
  head -c $((12 * 1024 * 1024)) /dev/zero >"$WORK/big.bin"
  code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -F "file=@$WORK/big.bin" "$BASE/lapor/")
  [ "$code" = 413 ] || fail "a 12 MiB upload answered $code, not 413"

  echo "-- the worker's heartbeat in /healthz"
  for _ in $(seq 1 30); do
    "${CURL[@]}" -o "$WORK/healthz.json" "$BASE/healthz" || true
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["checks"]["worker"]["ok"] and d["status"]=="ok" else 1)' \
      "$WORK/healthz.json" 2>/dev/null && break
    sleep 2
  done
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["checks"]["worker"]["ok"] else 1)' \
    "$WORK/healthz.json" || fail "no worker heartbeat in /healthz: $(cat "$WORK/healthz.json")"
}
smoke_through_nginx

echo "== install (2nd run): idempotent"
timeout 600 bash scripts/install-production.sh "${INSTALL_ARGS[@]}" --skip-apt --no-regions >"$WORK/second-run.log" 2>&1 \
  || { tail -n 40 "$WORK/second-run.log"; fail "the second install run failed"; }
[ "$(sha256sum "$ETC/keys.env" "$ETC/sinergi.env" "$ETC/db-owner.env")" = "$keys_before" ] \
  || fail "the second run changed the secrets or keys"
smoke_through_nginx

echo "== the app's database role cannot drop the audit trigger or change the schema"
app_url=$(sed -n 's/^DATABASE_URL=//p' "$ETC/sinergi.env")
if psql "$app_url" -q -c 'DROP TRIGGER audit_event_no_update_delete ON audit_auditevent' 2>/dev/null; then
  fail "the app role could drop the audit trigger"
fi
if psql "$app_url" -q -c 'CREATE TABLE smoke_probe (id int)' 2>/dev/null; then fail "the app role can create tables"; fi

echo "== the worker stops gracefully (SIGINT, as the unit says)"
bash scripts/install-production.sh stop "${INSTALL_ARGS[@]}"
grep -q 'Shutting down gracefully' "$WORK/log/worker.log" || fail "the worker log shows no graceful shutdown"
