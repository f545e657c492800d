#!/usr/bin/env bash
# Restore a backup made by backup.sh into the DATABASE_URL database and MEDIA_ROOT.
#   scripts/restore.sh [--yes] [BACKUP_DIR]     (default: the latest under var/backups)
# The database objects are dropped and recreated (pg_restore --clean --if-exists);
# MEDIA_ROOT is replaced by the backup's files. Asks first unless --yes.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/scripts/_pg_url.sh"

YES=0
if [ "${1:-}" = "--yes" ]; then YES=1; shift; fi
DB_URL="$(pg_url_or_die "${DATABASE_URL:-}")"
MEDIA_ROOT="${MEDIA_ROOT:-$ROOT/var/media}"
BACKUP_ROOT="${BACKUP_ROOT:-$ROOT/var/backups}"
SRC="${1:-}"
if [ -z "$SRC" ]; then
  SRC="$(find "$BACKUP_ROOT" -mindepth 1 -maxdepth 1 -type d ! -name '*.partial' 2>/dev/null | sort | tail -n 1)"
  [ -n "$SRC" ] || { echo "refusing: no backup found under $BACKUP_ROOT" >&2; exit 2; }
fi
for f in db.dump media.tar.gz MANIFEST; do
  [ -f "$SRC/$f" ] || { echo "refusing: $SRC is not a complete backup (no $f)" >&2; exit 2; }
done
(cd "$SRC" && grep -E '^[0-9a-f]{64}  ' MANIFEST | sha256sum --check --quiet) \
  || { echo "refusing: checksums of $SRC do not match its MANIFEST" >&2; exit 2; }

if [ "$YES" != 1 ]; then
  if [ ! -t 0 ]; then
    echo "refusing: restoring replaces the database and the media; pass --yes" >&2
    exit 2
  fi
  read -r -p "Replace $(pg_url_redacted "$DB_URL") and $MEDIA_ROOT with $SRC? [y/N] " answer
  case "$answer" in y|Y|yes) ;; *) echo "cancelled" >&2; exit 1 ;; esac
fi

pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
  --exit-on-error --dbname="$DB_URL" "$SRC/db.dump"

# Media: unpack beside MEDIA_ROOT, then swap, so a failed unpack leaves the old files.
parent="$(dirname "$MEDIA_ROOT")"
mkdir -p "$parent"
incoming="$(mktemp -d "$parent/.media-restore.XXXXXX")"
tar -xzf "$SRC/media.tar.gz" -C "$incoming"
if [ -e "$MEDIA_ROOT" ]; then
  old="$(mktemp -d "$parent/.media-old.XXXXXX")"
  mv "$MEDIA_ROOT" "$old/media"
  mv "$incoming" "$MEDIA_ROOT"
  rm -rf "$old"
else
  mv "$incoming" "$MEDIA_ROOT"
fi
chmod 755 "$MEDIA_ROOT"
echo "restored $SRC into $(pg_url_redacted "$DB_URL") and $MEDIA_ROOT" >&2
