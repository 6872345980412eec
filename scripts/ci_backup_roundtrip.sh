#!/usr/bin/env bash
# CI: backup -> restore round trip for SQLite (embedded mode) and PostgreSQL + Redis, with case writes
# running during the backup; then key rotation end to end on the restored copy. Cleans up after itself.
#   scripts/ci_backup_roundtrip.sh [sqlite] [postgresql]      (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
ENGINES=("${@:-sqlite postgresql}")
read -r -a ENGINES <<<"${ENGINES[*]}"
PGURL=postgres://postgres@127.0.0.1:5432
SRC_DB=sinergi_ci_backup_src
DST_DB=sinergi_ci_backup_dst
SRC_REDIS=redis://127.0.0.1:6379/12
DST_REDIS=redis://127.0.0.1:6379/13
WORK=$(mktemp -d /tmp/sinergi-backup-ci.XXXXXX)
KEYS_HOME=$(mktemp -d /tmp/sinergi-backup-ci-keys.XXXXXX)   # another tree: keys never beside the data
WRITER_PID=""

cleanup() {
  if [[ -n "$WRITER_PID" ]]; then kill "$WRITER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK" "$KEYS_HOME"
  for db in "$SRC_DB" "$DST_DB"; do dropdb -h 127.0.0.1 -U postgres --if-exists "$db" 2>/dev/null || true; done
  for url in "$SRC_REDIS" "$DST_REDIS"; do redis-cli -u "$url" flushdb >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

FIELD_KEY=$($PY -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
export DJANGO_SETTINGS_MODULE=config.settings.base
export DJANGO_SECRET_KEY="ci-roundtrip-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')"
export SINERGI_FIELD_KEYS="$FIELD_KEY"
export SINERGI_BLIND_INDEX_KEY="ci-roundtrip-$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
export SINERGI_ALLOW_DEMO_DATA=false

for engine in "${ENGINES[@]}"; do
  echo "-- backup round trip: $engine"
  A="$WORK/$engine/source" B="$WORK/$engine/restored" SET="$WORK/$engine/backup-set" KEYS="$KEYS_HOME/$engine"
  mkdir -p "$A" "$B"
  if [[ "$engine" == postgresql ]]; then
    for db in "$SRC_DB" "$DST_DB"; do dropdb -h 127.0.0.1 -U postgres --if-exists "$db"; createdb -h 127.0.0.1 -U postgres "$db"; done
    for url in "$SRC_REDIS" "$DST_REDIS"; do redis-cli -u "$url" flushdb >/dev/null; done
    src_env=(SINERGI_DATA_DIR="$A" DATABASE_URL="$PGURL/$SRC_DB" REDIS_URL="$SRC_REDIS")
    dst_env=(SINERGI_DATA_DIR="$B" DATABASE_URL="$PGURL/$DST_DB" REDIS_URL="$DST_REDIS")
  else
    src_env=(SINERGI_DATA_DIR="$A" DATABASE_URL="sqlite:///$A/sinergi.sqlite3" REDIS_URL=)
    dst_env=(SINERGI_DATA_DIR="$B" DATABASE_URL="sqlite:///$B/sinergi.sqlite3" REDIS_URL=)
  fi
  env "${src_env[@]}" $PY manage.py migrate --noinput -v 0
  env "${src_env[@]}" $PY manage.py createcachetable
  env "${src_env[@]}" $PY scripts/backup_roundtrip.py seed --cases 30 --docs 12 --expected "$WORK/$engine/expected.json"
  seeded=$(env "${src_env[@]}" $PY manage.py shell -v 0 -c 'from sinergi.cases.models import Case; print(Case.objects.count())')

  # Writes during the backup: a second process keeps creating cases (and documents) through the services.
  # (The previous engine's report is removed first: it would say "running" before this writer has started.)
  rm -f "$WORK/stop" "$WORK/writer.json"
  env "${src_env[@]}" $PY scripts/backup_roundtrip.py writer --stop-file "$WORK/stop" --report "$WORK/writer.json" &
  WRITER_PID=$!
  started="" deadline=$((SECONDS + 120))
  while ((SECONDS < deadline)); do
    if [[ -f "$WORK/writer.json" ]] && $PY -c "import json,sys; sys.exit(json.load(open('$WORK/writer.json'))['created'] < 3)" 2>/dev/null; then
      started=yes; break
    fi
    kill -0 "$WRITER_PID" 2>/dev/null || { echo "the writer exited before creating 3 cases"; exit 1; }
    sleep 0.2
  done
  [[ -n "$started" ]] || { echo "the writer did not create 3 cases within 120 s"; exit 1; }
  env "${src_env[@]}" $PY manage.py backup "$SET" --keys-to "$KEYS"
  sleep 1
  touch "$WORK/stop"; wait "$WRITER_PID"; WRITER_PID=""
  cat "$WORK/writer.json"; echo

  # A tampered or partial set is refused and the target stays empty.
  cp -a "$SET" "$WORK/$engine/tampered"; printf 'x' >>"$WORK/$engine/tampered/files.tar"
  if env "${dst_env[@]}" $PY manage.py restore "$WORK/$engine/tampered" 2>"$WORK/err"; then
    echo "a tampered backup set was restored"; exit 1
  fi
  grep -q "does not match its checksum" "$WORK/err"
  # (Loading the settings creates DATA_DIR/static and an empty huey file; the restore itself wrote nothing.)
  [[ ! -e "$B/private" && ! -e "$B/sinergi.sqlite3" ]] || { echo "refused restore touched $B"; ls -la "$B"; exit 1; }
  if [[ "$engine" == postgresql ]]; then
    [[ "$(psql -h 127.0.0.1 -U postgres -d "$DST_DB" -Atc "select count(*) from pg_tables where schemaname='public'")" == 0 ]] \
      || { echo "refused restore touched $DST_DB"; exit 1; }
  fi

  # Restore into a fresh database and folder, with the keys from the separate keys backup.
  env "${dst_env[@]}" $PY manage.py restore "$SET" --keys-from "$KEYS" --env-file "$B/local.env"
  env "${dst_env[@]}" $PY manage.py migrate --noinput -v 0
  env "${dst_env[@]}" $PY scripts/backup_roundtrip.py check --manifest "$SET/manifest.json" \
    --expected "$WORK/$engine/expected.json" --min-cases "$seeded"
  if env "${dst_env[@]}" $PY manage.py restore "$SET" 2>"$WORK/err"; then
    echo "a restore over existing data was accepted without --force"; exit 1
  fi
  grep -q "Refusing to restore over existing data" "$WORK/err"

  # Key rotation on the restored copy: new key first, rotate, drop the old key, everything still reads.
  new_key=$(env "${dst_env[@]}" $PY manage.py generate_field_key)
  env "${dst_env[@]}" SINERGI_FIELD_KEYS="$new_key,$FIELD_KEY" $PY manage.py rotate_field_keys
  second=$(env "${dst_env[@]}" SINERGI_FIELD_KEYS="$new_key,$FIELD_KEY" $PY manage.py rotate_field_keys)
  grep -q "Fields: 0 rotated" <<<"$second" && grep -q "Document files: 0 rotated" <<<"$second" \
    || { echo "a second rotation still found values under the old key"; exit 1; }
  env "${dst_env[@]}" SINERGI_FIELD_KEYS="$new_key" $PY scripts/backup_roundtrip.py check --no-counts \
    --manifest "$SET/manifest.json" --expected "$WORK/$engine/expected.json"
  if env "${dst_env[@]}" SINERGI_FIELD_KEYS="$FIELD_KEY" $PY scripts/backup_roundtrip.py check --no-counts \
      --manifest "$SET/manifest.json" --expected "$WORK/$engine/expected.json" >/dev/null 2>&1; then
    echo "the old key still decrypts after rotation"; exit 1
  fi
  echo "-- $engine round trip OK"
done
