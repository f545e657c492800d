#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (pg_dump custom format) and the uploaded
# files (a tar of MEDIA_ROOT) into var/backups/<timestamp>/.
#   DATABASE_URL  the database to dump (PostgreSQL only)
#   MEDIA_ROOT    uploaded files (default: var/media, as in the settings)
#   BACKUP_ROOT   where backups go (default: var/backups)
# Prints the backup folder on its last line.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/scripts/_pg_url.sh"

DB_URL="$(pg_url_or_die "${DATABASE_URL:-}")"
MEDIA_ROOT="${MEDIA_ROOT:-$ROOT/var/media}"
BACKUP_ROOT="${BACKUP_ROOT:-$ROOT/var/backups}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
DEST="$BACKUP_ROOT/$STAMP"
n=1
while [ -e "$DEST" ]; do DEST="$BACKUP_ROOT/$STAMP-$n"; n=$((n + 1)); done
mkdir -p "$DEST.partial"

pg_dump --format=custom --no-owner --no-privileges --compress=6 --file="$DEST.partial/db.dump" "$DB_URL"
if [ -d "$MEDIA_ROOT" ]; then
  tar -czf "$DEST.partial/media.tar.gz" -C "$MEDIA_ROOT" .
else
  tar -czf "$DEST.partial/media.tar.gz" --files-from /dev/null
fi
{
  echo "created_at=$STAMP"
  echo "database=$(pg_url_redacted "$DB_URL")"
  echo "media_root=$MEDIA_ROOT"
  (cd "$DEST.partial" && sha256sum db.dump media.tar.gz)
} > "$DEST.partial/MANIFEST"
# A backup appears under its final name only once complete.
mv "$DEST.partial" "$DEST"
echo "backup written: $DEST ($(du -sh "$DEST" | cut -f1))" >&2
echo "$DEST"
