#!/usr/bin/env bash
# Usage: tools/apt-install.sh <log> <debian-package>...
# Installs the packages with apt-get, without questions and without starting their services (a temporary
# policy-rc.d answers 101); refreshes the package lists only when the current ones do not know a package.
# Needs root. The callers (tools/ensure-apt.sh, tools/stack/stack.sh) serialize installs. On failure it shows
# the end of <log> and exits 1.
set -euo pipefail
log=${1:?usage: apt-install.sh <log> <debian-package>...}
shift
(($# > 0)) || { echo "usage: apt-install.sh <log> <debian-package>..." >&2; exit 2; }

policy=/usr/sbin/policy-rc.d backup=""
if [[ -e "$policy" ]]; then
  backup="$policy.ish-apt-install.$$"
  mv "$policy" "$backup"
fi
trap 'rm -f "$policy"; if [[ -n "$backup" ]]; then mv "$backup" "$policy"; fi' EXIT
printf '#!/bin/sh\n# installed temporarily by tools/apt-install.sh: do not start services\nexit 101\n' >"$policy"
chmod 755 "$policy"

export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y -q -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
# a package list from an earlier update is enough when it knows the packages
if ! apt-get "${apt_opts[@]}" install --no-install-recommends "$@" >"$log" 2>&1; then
  if ! { apt-get "${apt_opts[@]}" update >>"$log" 2>&1 &&
    apt-get "${apt_opts[@]}" install --no-install-recommends "$@" >>"$log" 2>&1; }; then
    echo "apt-get install $* failed -- see $log" >&2
    tail -n 20 "$log" | sed 's/^/    | /' >&2
    exit 1
  fi
fi
