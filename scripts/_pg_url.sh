# Shared by backup.sh and restore.sh: turn DATABASE_URL into a libpq URI, or stop
# with a clear message when it is not PostgreSQL (the SQLite default is a plain file:
# copy var/db.sqlite3 instead).
pg_url_or_die() {
  local url="$1"
  case "$url" in
    postgres://*|postgresql://*) echo "postgresql://${url#*://}" ;;
    pgsql://*|psql://*) echo "postgresql://${url#*://}" ;;
    "")
      echo "refusing: DATABASE_URL is not set; backups and restores need PostgreSQL" \
           "(DATABASE_URL=postgres://user@host:5432/name)." >&2
      exit 2 ;;
    *)
      echo "refusing: DATABASE_URL is not a PostgreSQL database (${url%%://*}://...);" \
           "backups and restores use pg_dump/pg_restore." >&2
      exit 2 ;;
  esac
}

# The URL without its password, for manifests and messages.
pg_url_redacted() {
  echo "$1" | sed -E 's#(://[^:/@]+):[^@]*@#\1:***@#'
}
