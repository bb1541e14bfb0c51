#!/bin/sh
# Online backup of Flipchart's SQLite database: safe while Flipchart runs (SQLite's backup API
# copies one consistent snapshot; writers carry on), checked with PRAGMA integrity_check, kept
# as one self-contained file. Copies the generated secret key too when there is one: invitation
# links and sessions depend on it.
#
#   scripts/backup-sqlite.sh [DEST_DIR]          default DEST_DIR: $FLIPCHART_DATA_DIR/backups
#
# Environment: FLIPCHART_DATA_DIR and DATABASE_URL as for Flipchart itself; KEEP (default 14)
# backups are kept, older ones deleted; PYTHON (default python3). Run it as the user Flipchart
# runs as, so SQLite's side files keep the right owner. Prints the backup's path.
set -eu
here=$(dirname "$0")
. "$here/_flipchart-db.sh"
db=$(sqlite_db)
dest=${1:-$data_dir/backups}
keep=${KEEP:-14}
[ -f "$db" ] || { echo "no database at $db" >&2; exit 2; }
mkdir -p "$dest"
chmod 700 "$dest"
out="$dest/flipchart-$(date -u +%Y%m%d-%H%M%S).sqlite3"
"${PYTHON:-python3}" - "$db" "$out.partial" <<'PY'
import sqlite3
import sys

source, target = sys.argv[1], sys.argv[2]
src = sqlite3.connect(source, timeout=60)
dst = sqlite3.connect(target)
src.backup(dst)  # one step: a consistent snapshot under a single read transaction
src.close()
dst.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
dst.close()
if verdict != "ok":
    sys.exit(f"backup failed its integrity check: {verdict}")
PY
chmod 600 "$out.partial"
mv "$out.partial" "$out"
if [ -f "$data_dir/secret_key" ]; then
  cp -p "$data_dir/secret_key" "$dest/secret_key"
fi
# Keep the newest $keep backups.
ls -1t "$dest"/flipchart-*.sqlite3 2>/dev/null | tail -n +"$((keep + 1))" | while read -r old; do
  rm -f "$old"
done
echo "$out"
