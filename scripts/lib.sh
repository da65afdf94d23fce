# Shared by scripts/run and scripts/test: install what is missing, start PostgreSQL and Redis under .local/.
# Every step checks first, so running it again reuses what exists.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
PG_PORT="${DATABASE_PORT:-55432}"
REDIS_PORT="${FUND_REDIS_PORT:-56379}"
export DATABASE_HOST="${DATABASE_HOST:-127.0.0.1}" DATABASE_PORT="$PG_PORT"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT/0}"
PY="$VENV/bin/python"

# Progress goes to stderr, so that functions whose output is captured, like pg_bin, stay clean.
say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_apt() {
  # $@: Debian package names; installs only those missing.
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$d" ]; then ensure_apt postgresql; d=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1); fi
  echo "$d"
}

ensure_system() {
  ensure_apt redis-server fonts-wqy-zenhei poppler-utils "$@"
  PGBIN="$(pg_bin)"
}

ensure_venv() {
  local stamp="$VENV/.installed-$(sha1sum "$ROOT/pyproject.toml" | cut -c1-12)"
  if [ ! -x "$PY" ]; then say "creating the virtual environment"; python3 -m venv "$VENV"; fi
  if [ ! -f "$stamp" ]; then
    say "installing Python packages"
    # pip's notes about this machine's optional local indexes are noise; real errors still show.
    mkdir -p "$LOCAL"
    local status=0
    "$VENV/bin/pip" install -q -e "$ROOT[test]" >"$LOCAL/pip.log" 2>&1 || status=$?
    grep -v -e "^WARNING: Location" -e "BuildBackendWarning" -e "^ *!!" -e "^ *\*\*\*" -e "Please be careful" \
      -e "name as your package" -e "with strategy" -e "^ *$" "$LOCAL/pip.log" >&2 || true
    if [ "$status" != 0 ] || ! "$PY" -c "import django, celery, weasyprint, guardian, pytest, playwright, hypothesis"; then
      echo "Python packages failed to install (see .local/pip.log)" >&2; exit 1
    fi
    rm -f "$VENV"/.installed-*; touch "$stamp"
  fi
}

# PostgreSQL refuses to run as root: the cluster belongs to the postgres user, in .local/pg.
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

ensure_postgres() {
  local data="$LOCAL/pg"
  mkdir -p "$LOCAL"
  # A server already answering on the port (this checkout's, or another checkout's of the same machine) is
  # used as it is, as ensure_redis does: a second cluster could not listen there anyway.
  if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
    :
  elif [ ! -f "$data/PG_VERSION" ]; then
    say "creating a PostgreSQL cluster in .local/pg"
    mkdir -p "$data"
    if [ "$(id -u)" = 0 ]; then
      chown postgres "$data"
      # postgres must be able to walk down to the data directory.
      local d="$LOCAL"; while [ "$d" != / ]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done
    fi
    run_pg "$PGBIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$data/postgresql.conf" <<CONF
shared_buffers = 512MB
max_connections = 200
fsync = on
synchronous_commit = off
CONF
  fi
  if ! "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && ! run_pg "$PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    run_pg "$PGBIN/pg_ctl" -D "$data" -l "$data/server.log" -w \
      -o "-p $PG_PORT -k $data -c listen_addresses=127.0.0.1" start >/dev/null
  fi
  local db="${DATABASE_NAME:-fund}"
  if ! "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
    "$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$db"
  fi
}

ensure_redis() {
  mkdir -p "$LOCAL/redis"
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    say "starting Redis on 127.0.0.1:$REDIS_PORT"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
      --dir "$LOCAL/redis" --pidfile "$LOCAL/redis/redis.pid" --logfile "$LOCAL/redis/redis.log"
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
}

stop_services() {
  PGBIN="$(pg_bin)"
  if [ -f "$LOCAL/pg/PG_VERSION" ]; then run_pg "$PGBIN/pg_ctl" -D "$LOCAL/pg" -m fast stop >/dev/null 2>&1 || true; fi
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
}
