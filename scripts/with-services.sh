#!/bin/sh
# Runs a command with PostgreSQL and Redis, DATABASE_URL and REDIS_URL exported to it:
#
#   scripts/with-services.sh .venv/bin/pytest -m "not browser"
#
# When DATABASE_URL (postgresql://...) or REDIS_URL is already set, that server is used as it
# is (its role needs CREATEDB: pytest-django makes its own test database). Otherwise a
# throwaway one is started on a free 127.0.0.1 port in a temp dir and removed afterwards:
# nothing is installed as a service, nothing listens beyond loopback. As root, the PostgreSQL
# cluster belongs to the `postgres` user (initdb refuses to run as root).
# Needs the Debian packages postgresql and redis-server (`make system-deps` installs them).
set -eu

work=$(mktemp -d /tmp/flipchart-services.XXXXXX)
chmod 755 "$work"
pg_bin=""
pg_data="$work/pg/data"
run_pg=""

cleanup() {
  if [ -n "$pg_bin" ] && [ -f "$pg_data/postmaster.pid" ]; then
    $run_pg "$pg_bin/pg_ctl" -D "$pg_data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ -f "$work/redis.pid" ]; then
    kill "$(cat "$work/redis.pid")" 2>/dev/null || true
    sleep 0.2
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

if [ -z "${REDIS_URL:-}" ]; then
  command -v redis-server >/dev/null || { echo "redis-server missing: make system-deps" >&2; exit 2; }
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --dir "$work" --save "" --appendonly no \
    --daemonize yes --pidfile "$work/redis.pid" --logfile "$work/redis.log"
  i=0
  until redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; do
    i=$((i + 1)); [ "$i" -lt 100 ] || { echo "redis-server did not start" >&2; exit 2; }
    sleep 0.1
  done
  REDIS_URL="redis://127.0.0.1:$port/0"
  echo "with-services: redis-server on 127.0.0.1:$port"
fi

if [ -z "${DATABASE_URL:-}" ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -x "$pg_bin/initdb" ] || { echo "PostgreSQL missing: make system-deps" >&2; exit 2; }
  port=$(free_port)
  mkdir -p "$work/pg"
  if [ "$(id -u)" = "0" ]; then
    chown postgres:postgres "$work/pg"
    run_pg="runuser -u postgres --"
  fi
  (cd "$work/pg" && $run_pg "$pg_bin/initdb" -D "$pg_data" -U postgres -E UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 --no-sync >/dev/null)
  # Tests only: fsync off. Never in production.
  (cd "$work/pg" && $run_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$work/pg/postgres.log" -w -t 60 \
    -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null)
  "$pg_bin/psql" -h "$work/pg" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE flipchart LOGIN CREATEDB PASSWORD 'flipchart-ci'" \
    -c "CREATE DATABASE flipchart OWNER flipchart"
  DATABASE_URL="postgresql://flipchart:flipchart-ci@127.0.0.1:$port/flipchart"
  echo "with-services: PostgreSQL $(basename "$(dirname "$pg_bin")") on 127.0.0.1:$port"
fi

export DATABASE_URL REDIS_URL
set +e
"$@"
status=$?
exit "$status"
