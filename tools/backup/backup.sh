#!/usr/bin/env bash
# Usage: tools/backup/backup.sh [OUT_FILE]
# Dumps the database at DATABASE_URL in pg_dump's custom format (-Fc: compressed, restorable table by
# table with pg_restore). Without OUT_FILE: backups/ish-<database>-<UTC time>.dump under BACKUP_DIR
# (default: ./backups). The file appears only when the dump is complete and readable by pg_restore.
# pg_dump must be at least the server's major version (PostgreSQL 15 here and in docker/k8s).
set -euo pipefail

die() { echo "backup: $*" >&2; exit 1; }
[[ -n "${DATABASE_URL:-}" ]] || die "DATABASE_URL is not set (postgres://user:password@host:port/database)"
command -v pg_dump >/dev/null || die "pg_dump is missing: apt-get install postgresql-client"

database=$(node -e 'process.stdout.write(decodeURIComponent(new URL(process.argv[1]).pathname.slice(1)) || "postgres")' "$DATABASE_URL" 2>/dev/null || echo database)
out=${1:-${BACKUP_DIR:-backups}/ish-$database-$(date -u +%Y%m%dT%H%M%SZ).dump}
mkdir -p "$(dirname "$out")"
# dumps hold user data: keep the default folder out of git
if [[ -z "${1:-}" && ! -e "$(dirname "$out")/.gitignore" ]]; then echo '*' > "$(dirname "$out")/.gitignore"; fi
umask 077
partial="$out.partial"
trap 'rm -f "$partial"' EXIT

# owners and grants are left out: the restore recreates the objects as the role it connects with
pg_dump --format=custom --compress=6 --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$partial"
pg_restore --list "$partial" >/dev/null || die "the dump is not readable by pg_restore"
mv "$partial" "$out"
chmod 600 "$out"
trap - EXIT
echo "$out"
