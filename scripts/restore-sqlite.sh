#!/bin/sh
# Restores a backup made by scripts/backup-sqlite.sh. Stop Flipchart first
# (systemctl stop flipchart); start it again afterwards.
#
#   scripts/restore-sqlite.sh BACKUP_FILE
#
# The current database (and its -wal/-shm files) is kept beside it as *.before-restore-<time>.
# When the data folder has no secret_key but the backup folder has one, it is restored too.
# Environment as for scripts/backup-sqlite.sh.
set -eu
here=$(dirname "$0")
. "$here/_flipchart-db.sh"
backup=${1:?usage: restore-sqlite.sh BACKUP_FILE}
db=$(sqlite_db)
[ -f "$backup" ] || { echo "no backup at $backup" >&2; exit 2; }
"${PYTHON:-python3}" - "$backup" <<'PY'
import sqlite3
import sys

conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
if verdict != "ok":
    sys.exit(f"the backup fails its integrity check: {verdict}")
PY
stamp=$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$(dirname "$db")"
for suffix in "" -wal -shm; do
  if [ -e "$db$suffix" ]; then
    mv "$db$suffix" "$db$suffix.before-restore-$stamp"
  fi
done
cp "$backup" "$db.partial"
mv "$db.partial" "$db"
if [ ! -f "$data_dir/secret_key" ] && [ -f "$(dirname "$backup")/secret_key" ]; then
  cp -p "$(dirname "$backup")/secret_key" "$data_dir/secret_key"
fi
echo "restored $backup to $db"
