#!/usr/bin/env bash
# Install (or upgrade) Sinergi on one Debian 12 server, from a clean checkout of this repository.
#
#   sudo scripts/install-production.sh --domain sinergi.kukarkab.go.id
#
# Every step is idempotent: a second run keeps the generated secrets, keys and database passwords,
# re-installs the code and the locked dependencies, migrates, and restarts the services.
# docs/PRODUCTION.md describes each step. Sub-commands (for hosts where systemd is not PID 1):
#   install-production.sh start|stop|status   run web and worker under the script's own supervisor,
#                                             with exactly the commands of the systemd units.
set -euo pipefail
umask 022

SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# ---- parameters (environment variables, overridden by flags) -----------------------------------
DOMAIN=${SINERGI_DOMAIN:-$(hostname -f 2>/dev/null || hostname)}
PREFIX=${SINERGI_PREFIX:-/opt/sinergi}               # code (app/), virtualenv (venv/), static/
DATA_DIR=${SINERGI_DATA_DIR:-/var/lib/sinergi}       # private (encrypted) files, local state
ETC_DIR=${SINERGI_ETC_DIR:-/etc/sinergi}             # sinergi.env, keys.env, db-owner.env, tls/
LOG_DIR=${SINERGI_LOG_DIR:-/var/log/sinergi}
RUN_DIR=${SINERGI_RUN_DIR:-/run/sinergi}             # supervisor pid files
SERVICE_USER=${SINERGI_USER:-sinergi}
UNIT_PREFIX=${SINERGI_UNIT_PREFIX:-sinergi}          # sinergi-web.service, sinergi-worker.service
UNIT_DIR=${SINERGI_UNIT_DIR:-/etc/systemd/system}
NGINX_SITE=${SINERGI_NGINX_SITE:-/etc/nginx/sites-enabled/sinergi.conf}
NGINX_CONF=${SINERGI_NGINX_CONF:-/etc/nginx/nginx.conf}   # the main file that includes NGINX_SITE
BIN_DIR=${SINERGI_BIN_DIR:-/usr/local/bin}               # the <unit-prefix>-manage wrapper
WEB_PORT=${SINERGI_WEB_PORT:-8000}                   # gunicorn, loopback only
HTTP_PORT=${SINERGI_HTTP_PORT:-80}
HTTPS_PORT=${SINERGI_HTTPS_PORT:-443}
LISTEN_ADDR=${SINERGI_LISTEN_ADDR:-}                 # e.g. 127.0.0.1 to keep nginx on loopback
WEB_WORKERS=${SINERGI_WEB_WORKERS:-3}
WEB_TIMEOUT=${SINERGI_WEB_TIMEOUT:-60}               # gunicorn --timeout; nginx waits a little longer
UPLOAD_MAX_MB=${SINERGI_UPLOAD_MAX_MB:-10}
DB_NAME=${SINERGI_DB_NAME:-sinergi}
DATABASE_URL_EXTERNAL=${SINERGI_DATABASE_URL:-}      # set to use an existing PostgreSQL server
REDIS_URL_SETTING=${SINERGI_REDIS_URL:-redis://127.0.0.1:6379/0}
INIT=${SINERGI_INIT:-auto}                           # systemd | supervisor | auto (systemd if PID 1)
TLS_CERT=${SINERGI_TLS_CERT:-}
TLS_KEY=${SINERGI_TLS_KEY:-}
SKIP_APT=${SINERGI_SKIP_APT:-0}
LOAD_REGIONS=${SINERGI_LOAD_REGIONS:-1}
PYTHON_BIN=${SINERGI_PYTHON:-/usr/bin/python3}       # Debian's Python 3.11, never one found on PATH

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  cat <<'EOF'
Options (each also as an environment variable, shown in brackets):
  --domain NAME          public host name [SINERGI_DOMAIN]
  --prefix DIR           code, virtualenv and static files, default /opt/sinergi [SINERGI_PREFIX]
  --data-dir DIR         data, default /var/lib/sinergi [SINERGI_DATA_DIR]
  --etc-dir DIR          environment files and keys, default /etc/sinergi [SINERGI_ETC_DIR]
  --log-dir DIR          default /var/log/sinergi [SINERGI_LOG_DIR]
  --user NAME            service user, default sinergi [SINERGI_USER]
  --unit-prefix NAME     systemd unit names NAME-web / NAME-worker [SINERGI_UNIT_PREFIX]
  --web-port N           gunicorn port on 127.0.0.1, default 8000 [SINERGI_WEB_PORT]
  --http-port N          nginx HTTP port (redirects to HTTPS), default 80 [SINERGI_HTTP_PORT]
  --https-port N         nginx HTTPS port, default 443 [SINERGI_HTTPS_PORT]
  --listen-addr ADDR     address nginx listens on, default all [SINERGI_LISTEN_ADDR]
  --web-workers N        gunicorn worker processes, default 3 [SINERGI_WEB_WORKERS]
  --web-timeout S        gunicorn request timeout, default 60 [SINERGI_WEB_TIMEOUT]
  --upload-max-mb N      largest upload, default 10 (nginx allows N+1 MiB) [SINERGI_UPLOAD_MAX_MB]
  --db-name NAME         local PostgreSQL database, default sinergi [SINERGI_DB_NAME]
  --database-url URL     use an existing PostgreSQL instead of a local one [SINERGI_DATABASE_URL]
  --redis-url URL        default redis://127.0.0.1:6379/0 (local redis-server) [SINERGI_REDIS_URL]
  --init systemd|supervisor|auto                                          [SINERGI_INIT]
  --tls-cert FILE --tls-key FILE   certificate for nginx; without them a self-signed one is made
  --nginx-site FILE      nginx server file, default /etc/nginx/sites-enabled/sinergi.conf
  --nginx-conf FILE      nginx main file that includes it, default /etc/nginx/nginx.conf
  --bin-dir DIR          where the NAME-manage wrapper goes, default /usr/local/bin
  --run-dir DIR          supervisor pid files, default /run/sinergi
  --unit-dir DIR         where the units are written, default /etc/systemd/system
  --skip-apt             do not install Debian packages (they are already there) [SINERGI_SKIP_APT=1]
  --no-regions           do not load the Kemendagri region tables [SINERGI_LOAD_REGIONS=0]
EOF
}

COMMAND=install
declare -A GIVEN=()
while [ $# -gt 0 ]; do
  case "$1" in
    install|start|stop|status) COMMAND=$1 ;;
    --domain) DOMAIN=$2; GIVEN[domain]=1; shift ;;
    --prefix) PREFIX=$2; shift ;;
    --data-dir) DATA_DIR=$2; shift ;;
    --etc-dir) ETC_DIR=$2; shift ;;
    --log-dir) LOG_DIR=$2; shift ;;
    --run-dir) RUN_DIR=$2; shift ;;
    --user) SERVICE_USER=$2; shift ;;
    --unit-prefix) UNIT_PREFIX=$2; shift ;;
    --unit-dir) UNIT_DIR=$2; shift ;;
    --web-port) WEB_PORT=$2; shift ;;
    --http-port) HTTP_PORT=$2; shift ;;
    --https-port) HTTPS_PORT=$2; shift ;;
    --listen-addr) LISTEN_ADDR=$2; shift ;;
    --web-workers) WEB_WORKERS=$2; shift ;;
    --web-timeout) WEB_TIMEOUT=$2; shift ;;
    --upload-max-mb) UPLOAD_MAX_MB=$2; GIVEN[upload]=1; shift ;;
    --db-name) DB_NAME=$2; shift ;;
    --database-url) DATABASE_URL_EXTERNAL=$2; shift ;;
    --redis-url) REDIS_URL_SETTING=$2; GIVEN[redis]=1; shift ;;
    --init) INIT=$2; shift ;;
    --tls-cert) TLS_CERT=$2; shift ;;
    --tls-key) TLS_KEY=$2; shift ;;
    --nginx-site) NGINX_SITE=$2; shift ;;
    --nginx-conf) NGINX_CONF=$2; shift ;;
    --bin-dir) BIN_DIR=$2; shift ;;
    --skip-apt) SKIP_APT=1 ;;
    --no-regions) LOAD_REGIONS=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

APP_DIR=$PREFIX/app
VENV=$PREFIX/venv
STATIC_ROOT=$PREFIX/static
ENV_FILE=$ETC_DIR/sinergi.env
KEYS_FILE=$ETC_DIR/keys.env
OWNER_ENV_FILE=$ETC_DIR/db-owner.env
WEB_UNIT=$UNIT_DIR/$UNIT_PREFIX-web.service
WORKER_UNIT=$UNIT_DIR/$UNIT_PREFIX-worker.service
MANAGE_WRAPPER=$BIN_DIR/$UNIT_PREFIX-manage
DB_APP_ROLE=${DB_NAME}_app
DB_OWNER_ROLE=${DB_NAME}_owner

log() { printf '\n== [%ss] %s\n' "$SECONDS" "$*"; }
die() { printf 'install-production: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (sudo)."
for n in WEB_PORT HTTP_PORT HTTPS_PORT WEB_WORKERS WEB_TIMEOUT UPLOAD_MAX_MB; do
  [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a number, not '${!n}'."
done
[[ $DB_NAME =~ ^[a-z_][a-z0-9_]*$ ]] || die "--db-name must be a plain lower-case identifier."
[[ $DOMAIN =~ ^[A-Za-z0-9.-]+$ ]] || die "--domain must be a host name."

if [ "$INIT" = auto ]; then
  if [ "$(ps -p 1 -o comm= 2>/dev/null)" = systemd ]; then INIT=systemd; else INIT=supervisor; fi
fi
case "$INIT" in systemd|supervisor) ;; *) die "--init must be systemd, supervisor or auto." ;; esac

# ---- environment files ---------------------------------------------------------------------------
# KEY=value lines, no quotes: read alike by systemd's EnvironmentFile= and by this script.
env_get() { [ -f "$1" ] && sed -n "s/^$2=//p" "$1" | tail -n 1 || true; }
env_set() {  # env_set FILE NAME VALUE: replace or append
  local file=$1 name=$2 value=$3
  if grep -q "^$name=" "$file"; then
    local tmp; tmp=$(mktemp "$file.XXXXXX")
    awk -v n="$name" -v v="$value" 'BEGIN{FS=OFS="="} $1==n {print n "=" v; next} {print}' "$file" >"$tmp"
    chmod 0600 "$tmp"; mv "$tmp" "$file"
  else
    printf '%s=%s\n' "$name" "$value" >>"$file"
  fi
}
env_default() {  # env_default FILE NAME VALUE: only when missing (never replaces a secret)
  grep -q "^$2=" "$1" || printf '%s=%s\n' "$2" "$3" >>"$1"
}
new_file_0600() { [ -f "$1" ] || install -m 0600 -o root -g root /dev/null "$1"; chmod 0600 "$1"; chown root:root "$1"; }
random_token() { head -c "$1" /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c "$2"; }

SAFE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# run_as_service [--owner] CMD...: as the service user, in the app directory, with only the variables
# of the environment files (as systemd gives them) and none of this script's.
run_as_service() {
  local files="$ENV_FILE $KEYS_FILE"
  if [ "$1" = --owner ]; then files="$files $OWNER_ENV_FILE"; shift; fi
  (cd "$APP_DIR" && env -i PATH="$SAFE_PATH" LANG=C.UTF-8 HOME="$DATA_DIR" USER="$SERVICE_USER" \
    SINERGI_ENV_FILES="$files" bash -c 'set -a; for f in $SINERGI_ENV_FILES; do . "$f"; done; set +a
      unset SINERGI_ENV_FILES; exec "$@"' _ \
    setpriv --reuid="$SERVICE_USER" --regid="$SERVICE_USER" --init-groups --no-new-privs -- "$@")
}
manage() { run_as_service "$VENV/bin/python" manage.py "$@"; }
# Migrations need the database owner role; the app itself runs with a role that owns nothing.
manage_as_owner() { run_as_service --owner "$VENV/bin/python" manage.py "$@"; }

# ---- supervisor (hosts without systemd as PID 1, e.g. CI containers) ----------------------------
unit_value() { sed -n "s/^$2=//p" "$1" | head -n 1; }

supervise_start() {  # supervise_start NAME UNIT_FILE: run ExecStart of the unit, as the unit would
  local name=$1 unit=$2 pidfile=$RUN_DIR/$1.pid
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "$name already running (pid $(cat "$pidfile"))"; return 0
  fi
  local exec user workdir files
  exec=$(unit_value "$unit" ExecStart); user=$(unit_value "$unit" User)
  workdir=$(unit_value "$unit" WorkingDirectory)
  files=$(sed -n 's/^EnvironmentFile=-\{0,1\}//p' "$unit" | tr '\n' ' ')
  # Same user, directory, environment files and command line as the unit; a session of its own, so
  # that the stop signal reaches only this process.
  # shellcheck disable=SC2086  # ExecStart is a command line of plain words, split as systemd splits it
  (cd "$workdir" && exec env -i PATH="$SAFE_PATH" LANG=C.UTF-8 HOME="$DATA_DIR" USER="$user" \
    SINERGI_ENV_FILES="$files" bash -c 'set -a; for f in $SINERGI_ENV_FILES; do . "$f"; done; set +a
      unset SINERGI_ENV_FILES; exec "$@"' _ \
    setsid setpriv --reuid="$user" --regid="$user" --init-groups --no-new-privs -- $exec \
    >>"$LOG_DIR/$name.log" 2>&1 </dev/null) &
  echo $! >"$pidfile"
  echo "$name started (pid $!), log $LOG_DIR/$name.log"
}

supervise_stop() {  # supervise_stop NAME UNIT_FILE: KillSignal=, then SIGKILL after TimeoutStopSec=
  local name=$1 unit=$2 pidfile=$RUN_DIR/$1.pid
  [ -f "$pidfile" ] || return 0
  local pid signal timeout
  pid=$(cat "$pidfile"); signal=$(unit_value "$unit" KillSignal); timeout=$(unit_value "$unit" TimeoutStopSec)
  signal=${signal:-SIGTERM}; timeout=${timeout:-30}
  if kill -0 "$pid" 2>/dev/null; then
    kill -s "${signal#SIG}" "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((timeout * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then echo "$name did not stop in ${timeout}s: SIGKILL"; kill -9 "$pid" || true; fi
  fi
  rm -f "$pidfile"
  echo "$name stopped"
}

supervise_status() {
  local rc=0
  for name in web worker; do
    if [ -f "$RUN_DIR/$name.pid" ] && kill -0 "$(cat "$RUN_DIR/$name.pid")" 2>/dev/null; then
      echo "$name: running (pid $(cat "$RUN_DIR/$name.pid"))"
    else
      echo "$name: stopped"; rc=3
    fi
  done
  return $rc
}

nginx_reload() {
  nginx -t -q -c "$NGINX_CONF"
  if [ "$INIT" = systemd ] && [ "$NGINX_CONF" = /etc/nginx/nginx.conf ]; then
    systemctl enable --quiet nginx; systemctl reload-or-restart nginx
  else
    nginx -c "$NGINX_CONF" -s reload 2>/dev/null || nginx -c "$NGINX_CONF"
  fi
}

case "$COMMAND" in
  start)
    [ "$INIT" = supervisor ] || { systemctl start "$UNIT_PREFIX-web" "$UNIT_PREFIX-worker"; exit 0; }
    supervise_start worker "$WORKER_UNIT"; supervise_start web "$WEB_UNIT"; exit 0 ;;
  stop)
    [ "$INIT" = supervisor ] || { systemctl stop "$UNIT_PREFIX-web" "$UNIT_PREFIX-worker"; exit 0; }
    supervise_stop web "$WEB_UNIT"; supervise_stop worker "$WORKER_UNIT"; exit 0 ;;
  status)
    [ "$INIT" = supervisor ] || { systemctl --no-pager status "$UNIT_PREFIX-web" "$UNIT_PREFIX-worker"; exit $?; }
    supervise_status; exit $? ;;
esac

# ---- 1. Debian packages ------------------------------------------------------------------------
if [ "$SKIP_APT" != 1 ]; then
  log "1/10 Debian packages"
  [ -r /etc/os-release ] && . /etc/os-release
  [ "${VERSION_CODENAME:-}" = bookworm ] || echo "warning: written for Debian 12 (bookworm), this is ${PRETTY_NAME:-unknown}"
  packages=(python3 python3-venv gettext libmagic1 libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
            tzdata nginx rsync curl ca-certificates openssl util-linux systemd)
  [ -z "$DATABASE_URL_EXTERNAL" ] && packages+=(postgresql)
  [[ $REDIS_URL_SETTING == redis://127.0.0.1:* || $REDIS_URL_SETTING == redis://localhost:* ]] && packages+=(redis-server)
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

# ---- 2. service user and directories -----------------------------------------------------------
log "2/10 service user '$SERVICE_USER' and directories"
if ! id -u "$SERVICE_USER" >/dev/null 2>&1; then
  useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
fi
install -d -m 0755 -o root -g root "$PREFIX" "$APP_DIR"
install -d -m 0750 -o "$SERVICE_USER" -g "$SERVICE_USER" "$DATA_DIR" "$LOG_DIR"
install -d -m 0700 -o "$SERVICE_USER" -g "$SERVICE_USER" "$DATA_DIR/private"
install -d -m 0755 -o "$SERVICE_USER" -g "$SERVICE_USER" "$STATIC_ROOT"
install -d -m 0700 -o root -g root "$ETC_DIR"

# ---- 3. code and virtualenv (locked dependencies, checked against their hashes) --------------
log "3/10 code in $APP_DIR, virtualenv in $VENV"
# The code is owned by root and read-only for the service: a compromised app cannot change itself.
rsync -a --delete --chown=root:root --chmod=Du=rwx,Dgo=rx,Fu=rw,Fgo=r \
  --exclude=/.git --exclude=/.venv --exclude=/var --exclude=__pycache__ --exclude='*.pyc' \
  --exclude=/.pytest_cache --exclude=/.ruff_cache --exclude=/.hypothesis --exclude=/test-results \
  --exclude='*.mo' "$SRC_DIR/" "$APP_DIR/"
"$PYTHON_BIN" "$APP_DIR/scripts/check_locks.py"
[ -x "$VENV/bin/python" ] || "$PYTHON_BIN" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --require-hashes --no-deps -r "$APP_DIR/requirements.lock" 2>&1 \
  | { grep -v "is ignored: it is neither a file nor a directory" || true; }
# --no-deps installs exactly the lock; pip check proves the lock is complete for this Python.
"$VENV/bin/pip" check

# ---- 4. PostgreSQL and Redis -------------------------------------------------------------------
log "4/10 PostgreSQL and Redis"
new_file_0600 "$OWNER_ENV_FILE"
if [ -z "$DATABASE_URL_EXTERNAL" ]; then
  if [ "$INIT" = systemd ]; then systemctl enable --quiet --now postgresql; fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  owner_password=$(env_get "$OWNER_ENV_FILE" SINERGI_DB_OWNER_PASSWORD)
  [ -n "$owner_password" ] || { owner_password=$(random_token 48 40); env_set "$OWNER_ENV_FILE" SINERGI_DB_OWNER_PASSWORD "$owner_password"; }
  app_password=$(env_get "$ENV_FILE" SINERGI_DB_APP_PASSWORD)
  [ -n "$app_password" ] || app_password=$(random_token 48 40)
  # Two roles: the owner runs migrations (and owns the audit trigger); the app role may only read and
  # write rows, so it can neither drop the append-only trigger nor alter the schema.
  # The passwords go in on standard input, never on a command line (visible in the process list).
  { printf '\\set owner_pw %s\n\\set app_pw %s\n' "$owner_password" "$app_password"; cat <<'SQL'; } \
    | runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -d postgres -v owner="$DB_OWNER_ROLE" -v app="$DB_APP_ROLE"
SELECT format('CREATE ROLE %I LOGIN', :'owner') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN', :'app') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'owner', :'owner_pw') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'app', :'app_pw') \gexec
SQL
  if ! runuser -u postgres -- psql -tAq -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
    runuser -u postgres -- createdb --owner="$DB_OWNER_ROLE" --encoding=UTF8 --template=template0 "$DB_NAME"
  fi
  runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -d "$DB_NAME" -v owner="$DB_OWNER_ROLE" -v app="$DB_APP_ROLE" \
    -v db="$DB_NAME" <<'SQL'
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO :"app";
SQL
  DATABASE_URL_APP="postgres://$DB_APP_ROLE:$app_password@127.0.0.1:5432/$DB_NAME"
  env_set "$OWNER_ENV_FILE" DATABASE_URL "postgres://$DB_OWNER_ROLE:$owner_password@127.0.0.1:5432/$DB_NAME"
else
  DATABASE_URL_APP=$DATABASE_URL_EXTERNAL
  env_set "$OWNER_ENV_FILE" DATABASE_URL "$DATABASE_URL_EXTERNAL"
fi
if [[ $REDIS_URL_SETTING == redis://127.0.0.1:* || $REDIS_URL_SETTING == redis://localhost:* ]]; then
  if [ "$INIT" = systemd ]; then systemctl enable --quiet --now redis-server; fi
  redis_port=$(sed -E 's#^redis://[^:/]+:([0-9]+).*#\1#' <<<"$REDIS_URL_SETTING")
  if ! redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1; then
    install -d -o redis -g redis /var/lib/redis /var/log/redis
    runuser -u redis -- redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" --dir /var/lib/redis \
      --logfile /var/log/redis/redis-server.log
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 1; done
  fi
fi

# ---- 5. environment file (settings, secrets) and key file, both 0600, outside the code --------
log "5/10 $ENV_FILE and $KEYS_FILE (mode 0600)"
new_file_0600 "$ENV_FILE"
new_file_0600 "$KEYS_FILE"
grep -q '^# Sinergi' "$ENV_FILE" || printf '# Sinergi settings and secrets (not the field keys: see keys.env). Mode 0600.\n' >>"$ENV_FILE"
env_default "$ENV_FILE" DJANGO_SETTINGS_MODULE config.settings.prod
env_default "$ENV_FILE" DJANGO_SECRET_KEY "$(random_token 96 64)"
env_default "$ENV_FILE" DJANGO_ALLOWED_HOSTS "$DOMAIN"
public_url="https://$DOMAIN$([ "$HTTPS_PORT" = 443 ] || echo ":$HTTPS_PORT")"
env_default "$ENV_FILE" DJANGO_CSRF_TRUSTED_ORIGINS "$public_url"
env_default "$ENV_FILE" SINERGI_BASE_URL "$public_url"
if [ -n "${GIVEN[domain]:-}" ]; then
  env_set "$ENV_FILE" DJANGO_ALLOWED_HOSTS "$DOMAIN"
  env_set "$ENV_FILE" DJANGO_CSRF_TRUSTED_ORIGINS "$public_url"
  env_set "$ENV_FILE" SINERGI_BASE_URL "$public_url"
fi
env_default "$ENV_FILE" DJANGO_ADMIN_URL "kelola-$(random_token 24 8 | tr 'A-Z' 'a-z')/"
env_default "$ENV_FILE" SINERGI_DB_APP_PASSWORD "${app_password:-}"
env_set "$ENV_FILE" DATABASE_URL "$DATABASE_URL_APP"
env_default "$ENV_FILE" REDIS_URL "$REDIS_URL_SETTING"
[ -n "${GIVEN[redis]:-}" ] && env_set "$ENV_FILE" REDIS_URL "$REDIS_URL_SETTING"
env_default "$ENV_FILE" HUEY_NAME "$UNIT_PREFIX"
env_set "$ENV_FILE" SINERGI_DATA_DIR "$DATA_DIR"
env_set "$ENV_FILE" SINERGI_PRIVATE_STORAGE "$DATA_DIR/private"
env_set "$ENV_FILE" SINERGI_STATIC_ROOT "$STATIC_ROOT"
env_default "$ENV_FILE" SINERGI_UPLOAD_MAX_BYTES "$((UPLOAD_MAX_MB * 1024 * 1024))"
[ -n "${GIVEN[upload]:-}" ] && env_set "$ENV_FILE" SINERGI_UPLOAD_MAX_BYTES "$((UPLOAD_MAX_MB * 1024 * 1024))"
# nginx below is the one proxy in front of gunicorn: the client address is the last X-Forwarded-For hop.
env_default "$ENV_FILE" SINERGI_TRUSTED_PROXIES 1
env_default "$ENV_FILE" EMAIL_BACKEND django.core.mail.backends.smtp.EmailBackend
env_default "$ENV_FILE" EMAIL_HOST localhost
env_default "$ENV_FILE" DEFAULT_FROM_EMAIL "sinergi@$DOMAIN"
# Field keys and the blind-index key live in their own file: back it up apart from the data.
grep -q '^# Sinergi' "$KEYS_FILE" || printf '# Sinergi field-encryption and blind-index keys. Mode 0600. Back up apart from the data:\n# without them no identity and no document can be read; beside the data they protect nothing.\n' >>"$KEYS_FILE"
env_default "$KEYS_FILE" SINERGI_FIELD_KEYS "$("$VENV/bin/python" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
env_default "$KEYS_FILE" SINERGI_BLIND_INDEX_KEY "$(random_token 96 64)"
chmod 0600 "$ENV_FILE" "$KEYS_FILE" "$OWNER_ENV_FILE"

# ---- 6. translations, migrations, static files, regions ---------------------------------------
log "6/10 compilemessages, migrate, collectstatic"
# The code directory is read-only for the service user: compile the catalogues as root, with msgfmt only.
find "$APP_DIR/locale" -name django.po -print0 | while IFS= read -r -d '' po; do
  msgfmt --check-format -o "${po%.po}.mo" "$po"
done
manage_as_owner migrate --noinput
manage_as_owner createcachetable
manage collectstatic --noinput -v 0
if [ "$LOAD_REGIONS" = 1 ]; then manage load_regions; fi

# ---- 7. systemd units (also the supervisor's source of truth) ---------------------------------
log "7/10 systemd units $WEB_UNIT, $WORKER_UNIT"
install -d -m 0755 "$UNIT_DIR"
hardening="NoNewPrivileges=yes
ProtectSystem=strict
ReadWritePaths=$DATA_DIR $LOG_DIR
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
LockPersonality=yes
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
CapabilityBoundingSet=
SystemCallArchitectures=native
UMask=0027"
write_if_changed() {  # write_if_changed FILE (content on stdin); prints "changed" when it did
  local tmp; tmp=$(mktemp)
  cat >"$tmp"
  if ! cmp -s "$tmp" "$1"; then install -m 0644 "$tmp" "$1"; echo changed; fi
  rm -f "$tmp"
}
after="network-online.target"
[ -z "$DATABASE_URL_EXTERNAL" ] && after="$after postgresql.service"
[[ $REDIS_URL_SETTING == redis://127.0.0.1:* || $REDIS_URL_SETTING == redis://localhost:* ]] && after="$after redis-server.service"
units_changed=$(
write_if_changed "$WEB_UNIT" <<EOF
[Unit]
Description=Sinergi web application (gunicorn)
Documentation=file://$APP_DIR/docs/PRODUCTION.md
Wants=network-online.target
After=$after

[Service]
Type=simple
User=$SERVICE_USER
Group=$SERVICE_USER
WorkingDirectory=$APP_DIR
EnvironmentFile=$ENV_FILE
EnvironmentFile=$KEYS_FILE
ExecStart=$VENV/bin/gunicorn config.wsgi --bind 127.0.0.1:$WEB_PORT --workers $WEB_WORKERS --worker-class gthread --threads 4 --timeout $WEB_TIMEOUT --graceful-timeout 30 --max-requests 2000 --max-requests-jitter 200 --forwarded-allow-ips 127.0.0.1 --access-logfile - --error-logfile -
ExecReload=/bin/kill -s HUP \$MAINPID
KillSignal=SIGTERM
TimeoutStopSec=40
Restart=always
RestartSec=2
$hardening

[Install]
WantedBy=multi-user.target
EOF
write_if_changed "$WORKER_UNIT" <<EOF
[Unit]
Description=Sinergi background worker (huey)
Documentation=file://$APP_DIR/docs/PRODUCTION.md
Wants=network-online.target
After=$after

[Service]
Type=simple
User=$SERVICE_USER
Group=$SERVICE_USER
WorkingDirectory=$APP_DIR
EnvironmentFile=$ENV_FILE
EnvironmentFile=$KEYS_FILE
ExecStart=$VENV/bin/python manage.py run_huey
# huey stops at once on SIGTERM; SIGINT lets running tasks finish first.
KillSignal=SIGINT
TimeoutStopSec=60
Restart=always
RestartSec=5
$hardening

[Install]
WantedBy=multi-user.target
EOF
)
verify_units() {  # systemd-analyze verify, quiet about dependency units this host does not have
  local out
  out=$(systemd-analyze verify --man=no "$@" 2>&1 || true)
  out=$(grep -v -E '^Unit .* not found|Failed to .*dependenc' <<<"$out" || true)
  [ -z "$out" ] || { echo "$out" >&2; return 1; }
}
if command -v systemd-analyze >/dev/null; then
  # Syntax, every directive, the executables, users and the [Install] section.
  verify_units "$WEB_UNIT" "$WORKER_UNIT" || die "systemd-analyze verify reports problems in the units (above)."
fi

# The admin's entry point: any manage.py command, with the installation's environment, as the service user.
install -d -m 0755 "$BIN_DIR"
write_if_changed "$MANAGE_WRAPPER" <<EOF >/dev/null
#!/bin/sh
# Run a Sinergi management command as production runs it: $UNIT_PREFIX-manage doctor | audit_verify | ...
# (as $SERVICE_USER, with only the installation's environment; migrate uses the database owner role).
set -e
[ "\$(id -u)" = 0 ] || { echo "run as root: sudo \$0 \$*" >&2; exit 1; }
files="$ENV_FILE $KEYS_FILE"
case "\$1" in migrate|createcachetable) files="\$files $OWNER_ENV_FILE" ;; esac
cd $APP_DIR
exec env -i PATH=$SAFE_PATH LANG=C.UTF-8 HOME=$DATA_DIR USER=$SERVICE_USER SINERGI_ENV_FILES="\$files" \\
  bash -c 'set -a; for f in \$SINERGI_ENV_FILES; do . "\$f"; done; set +a; unset SINERGI_ENV_FILES; exec "\$@"' _ \\
  setpriv --reuid=$SERVICE_USER --regid=$SERVICE_USER --init-groups --no-new-privs -- $VENV/bin/python manage.py "\$@"
EOF
chmod 0755 "$MANAGE_WRAPPER"

# ---- 8. nginx (TLS, gzip, long cache for hashed static files, upload limit) --------------------
log "8/10 nginx site $NGINX_SITE"
install -d -m 0700 "$ETC_DIR/tls"
if [ -z "$TLS_CERT" ]; then
  TLS_CERT=$ETC_DIR/tls/selfsigned.crt; TLS_KEY=$ETC_DIR/tls/selfsigned.key
  if [ ! -f "$TLS_CERT" ] || ! openssl x509 -in "$TLS_CERT" -noout -checkhost "$DOMAIN" 2>/dev/null | grep -q 'does match'; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=$DOMAIN" -addext "subjectAltName=DNS:$DOMAIN" \
      -keyout "$TLS_KEY" -out "$TLS_CERT" 2>/dev/null
    chmod 0600 "$TLS_KEY"
    echo "A self-signed certificate for $DOMAIN is in $TLS_CERT: replace it (--tls-cert/--tls-key) before going live."
  fi
fi
listen_prefix=${LISTEN_ADDR:+$LISTEN_ADDR:}
body_limit=$((UPLOAD_MAX_MB + 1))   # the app allows the file plus 1 MiB of form (DATA_UPLOAD_MAX_MEMORY_SIZE)
https_suffix=$([ "$HTTPS_PORT" = 443 ] || echo ":$HTTPS_PORT")
install -d -m 0755 "$(dirname "$NGINX_SITE")"
write_if_changed "$NGINX_SITE" <<EOF >/dev/null
# Sinergi, written by scripts/install-production.sh: edits are replaced at the next run.
upstream ${UNIT_PREFIX}_web {
    server 127.0.0.1:$WEB_PORT;
    keepalive 16;
}

server {
    listen ${listen_prefix}$HTTP_PORT;
    server_name $DOMAIN;
    location = /healthz { proxy_pass http://${UNIT_PREFIX}_web; proxy_set_header Host \$host; }
    location / { return 301 https://\$host$https_suffix\$request_uri; }
}

server {
    listen ${listen_prefix}$HTTPS_PORT ssl http2;
    server_name $DOMAIN;
    ssl_certificate $TLS_CERT;
    ssl_certificate_key $TLS_KEY;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers off;
    ssl_session_cache shared:${UNIT_PREFIX}_tls:10m;
    server_tokens off;

    # SINERGI_UPLOAD_MAX_BYTES ($UPLOAD_MAX_MB MiB) plus the 1 MiB of form the app accepts around it.
    client_max_body_size ${body_limit}m;

    # Django masks the CSRF token on every response, so compressing HTML does not expose it (BREACH).
    gzip on;
    gzip_vary on;
    gzip_proxied any;
    gzip_min_length 1024;
    gzip_types text/plain text/css application/json application/javascript text/javascript image/svg+xml application/xml;

    location /static/ {
        alias $STATIC_ROOT/;
        gzip_static on;       # the .gz files collectstatic wrote (whitenoise)
        access_log off;
        expires 1h;
        # Names with a content hash (app.3f2a9c1b7d4e.css) never change: cache them for a year.
        location ~ "\.[0-9a-f]{12}\.[A-Za-z0-9]+\$" {
            expires max;
            add_header Cache-Control "public, max-age=31536000, immutable";
        }
    }

    location / {
        proxy_pass http://${UNIT_PREFIX}_web;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host \$host;
        # Replace, never append: SINERGI_TRUSTED_PROXIES=1 takes the client address from this header.
        proxy_set_header X-Forwarded-For \$remote_addr;
        proxy_set_header X-Forwarded-Proto \$scheme;
        proxy_set_header X-Forwarded-Host \$host;
        proxy_set_header X-Request-ID \$request_id;
        proxy_read_timeout $((WEB_TIMEOUT + 5))s;
        proxy_redirect off;
    }
}
EOF
nginx_reload

# ---- 9. start or restart web and worker --------------------------------------------------------
log "9/10 web and worker ($INIT)"
if [ "$INIT" = systemd ]; then
  systemctl daemon-reload
  systemctl enable --quiet "$UNIT_PREFIX-web" "$UNIT_PREFIX-worker"
  # New code, dependencies or units: restart (the worker finishes its running tasks first).
  systemctl restart "$UNIT_PREFIX-worker" "$UNIT_PREFIX-web"
else
  supervise_stop web "$WEB_UNIT"; supervise_stop worker "$WORKER_UNIT"
  supervise_start worker "$WORKER_UNIT"; supervise_start web "$WEB_UNIT"
fi
[ -n "$units_changed" ] && echo "Units updated."

# ---- 10. doctor --------------------------------------------------------------------------------
log "10/10 manage.py doctor"
for _ in $(seq 1 60); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$WEB_PORT/healthz" -H "Host: $DOMAIN" || true)
  [ "$code" = 200 ] && break
  sleep 1
done
manage doctor
cat <<EOF

Sinergi is installed: $public_url
  Manage:   $MANAGE_WRAPPER <command>   (e.g. $MANAGE_WRAPPER doctor)
  Settings: $ENV_FILE   Keys: $KEYS_FILE (back up apart from the data)
  Admin:    $public_url/$(env_get "$ENV_FILE" DJANGO_ADMIN_URL)   First users: docs/PRODUCTION.md, "After the first install".
EOF
