#!/usr/bin/env bash
# Usage: tools/backup/restore.sh [--clean] DUMP_FILE
# Restores a dump made by backup.sh into the database at DATABASE_URL, in one transaction: it is all
# restored or nothing is. The target should be empty (a new database, or `--clean` to drop the
# objects the dump contains before recreating them). Stop the apps first when restoring over a live
# database, and run migrations afterwards if the dump is older than the code
# (`node dist/tools/db/migrate.js`).
set -euo pipefail

die() { echo "restore: $*" >&2; exit 1; }
clean=()
if [[ "${1:-}" == "--clean" ]]; then clean=(--clean --if-exists); shift; fi
dump=${1:-}
[[ -n "$dump" ]] || die "usage: restore.sh [--clean] DUMP_FILE"
[[ -r "$dump" ]] || die "cannot read $dump"
[[ -n "${DATABASE_URL:-}" ]] || die "DATABASE_URL is not set (the database to restore into)"
command -v pg_restore >/dev/null || die "pg_restore is missing: apt-get install postgresql-client"

pg_restore --list "$dump" >/dev/null || die "$dump is not a pg_dump custom-format archive"
pg_restore "${clean[@]}" --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$dump"
echo "restored $dump"
