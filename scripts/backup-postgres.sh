#!/bin/sh
# Backup of Flipchart's PostgreSQL database with pg_dump (custom format: compressed, restorable
# table by table, safe while Flipchart runs), checked by listing it with pg_restore.
#
#   scripts/backup-postgres.sh [DEST_DIR]        default DEST_DIR: ./backups
#
# Environment: DATABASE_URL (postgresql://user:password@host:port/db, as for Flipchart);
# KEEP (default 14) dumps are kept. The password may live in ~/.pgpass instead of the URL.
# Prints the dump's path.
set -eu
here=$(dirname "$0")
. "$here/_flipchart-db.sh"
url=${DATABASE_URL:?set DATABASE_URL to the postgresql:// address Flipchart uses}
case "$url" in
  postgres://*|postgresql://*) ;;
  *) echo "DATABASE_URL is not PostgreSQL: use scripts/backup-sqlite.sh" >&2; exit 2 ;;
esac
dest=${1:-./backups}
keep=${KEEP:-14}
mkdir -p "$dest"
chmod 700 "$dest"
out="$dest/flipchart-$(date -u +%Y%m%d-%H%M%S).dump"
"$(postgres_tool pg_dump)" --format=custom --no-owner --no-privileges --file="$out.partial" --dbname="$url"
"$(postgres_tool pg_restore)" --list "$out.partial" >/dev/null
chmod 600 "$out.partial"
mv "$out.partial" "$out"
ls -1t "$dest"/flipchart-*.dump 2>/dev/null | tail -n +"$((keep + 1))" | while read -r old; do
  rm -f "$old"
done
echo "$out"
