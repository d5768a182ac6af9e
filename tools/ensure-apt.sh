#!/usr/bin/env bash
# Usage: tools/ensure-apt.sh <binary> <debian-package>
# Installs <debian-package> with apt-get when <binary> is not on PATH, without starting the package's
# service (a temporary policy-rc.d answers 101, as tools/stack/stack.sh does). Needs root; otherwise it
# prints the command to run and exits 1. Installs are serialized between concurrent callers.
set -euo pipefail
binary=${1:?usage: ensure-apt.sh <binary> <debian-package>}
package=${2:?usage: ensure-apt.sh <binary> <debian-package>}

command -v "$binary" >/dev/null 2>&1 && exit 0
if [[ $(id -u) -ne 0 ]]; then
  echo "ensure-apt: $binary is missing; install it first:  sudo apt-get install -y --no-install-recommends $package" >&2
  exit 1
fi

exec 8>/tmp/ish-ensure-apt.lock
flock -w 900 8 || { echo "ensure-apt: timed out waiting for another package install" >&2; exit 1; }
command -v "$binary" >/dev/null 2>&1 && exit 0

log=/tmp/ish-ensure-apt-$package.log
policy=/usr/sbin/policy-rc.d backup=""
if [[ -e "$policy" ]]; then
  backup="$policy.ish-ensure-apt.$$"
  mv "$policy" "$backup"
fi
trap 'rm -f "$policy"; if [[ -n "$backup" ]]; then mv "$backup" "$policy"; fi' EXIT
printf '#!/bin/sh\n# installed temporarily by tools/ensure-apt.sh: do not start services\nexit 101\n' >"$policy"
chmod 755 "$policy"

export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y -q -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
echo "ensure-apt: installing $package (for $binary)…" >&2
# a package list from an earlier update is enough when it knows the package
if ! apt-get "${apt_opts[@]}" install --no-install-recommends "$package" >"$log" 2>&1; then
  if ! { apt-get "${apt_opts[@]}" update >>"$log" 2>&1 &&
    apt-get "${apt_opts[@]}" install --no-install-recommends "$package" >>"$log" 2>&1; }; then
    echo "ensure-apt: apt-get install $package failed -- see $log" >&2
    tail -n 20 "$log" | sed 's/^/    | /' >&2
    exit 1
  fi
fi
command -v "$binary" >/dev/null 2>&1 || { echo "ensure-apt: $package installed but $binary is still missing" >&2; exit 1; }
