# Shared by the backup and restore scripts (sourced, not run): finds the database the way
# flipchart/settings.py does. FLIPCHART_DATA_DIR (default ./data) and DATABASE_URL.
data_dir=${FLIPCHART_DATA_DIR:-./data}
sqlite_db() {
  case "${DATABASE_URL:-}" in
    "") echo "$data_dir/flipchart.sqlite3" ;;
    sqlite:///*) echo "${DATABASE_URL#sqlite:///}" ;;
    *) echo "DATABASE_URL is not SQLite: use scripts/backup-postgres.sh / restore-postgres.sh" >&2
       return 2 ;;
  esac
}
postgres_tool() {
  # pg_dump / pg_restore from PATH (Debian's wrapper picks the server's version), else the newest.
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return; fi
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -x "$found/$1" ] || { echo "$1 missing: apt-get install postgresql-client" >&2; return 2; }
  echo "$found/$1"
}
