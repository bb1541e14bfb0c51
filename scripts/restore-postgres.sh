#!/bin/sh
# Restores a dump made by scripts/backup-postgres.sh into a database, in one transaction (all
# or nothing). Stop Flipchart first; start it again afterwards.
#
#   scripts/restore-postgres.sh DUMP_FILE [TARGET_URL]      default TARGET_URL: $DATABASE_URL
#
# Into an empty database (createdb -O flipchart flipchart_restored) or over the existing one:
# existing tables are dropped and recreated from the dump (--clean --if-exists).
set -eu
here=$(dirname "$0")
. "$here/_flipchart-db.sh"
dump=${1:?usage: restore-postgres.sh DUMP_FILE [TARGET_URL]}
url=${2:-${DATABASE_URL:?give TARGET_URL or set DATABASE_URL}}
[ -f "$dump" ] || { echo "no dump at $dump" >&2; exit 2; }
"$(postgres_tool pg_restore)" --clean --if-exists --no-owner --no-privileges --exit-on-error \
  --single-transaction --dbname="$url" "$dump"
echo "restored $dump"
