#!/usr/bin/env bash
# Local server stack for ISH Chat: PostgreSQL, Redis, RabbitMQ and nginx as
# plain processes (no Docker, no systemd). All data, config and logs live in
# <repo>/.stack/<STACK_NAME>/. See tools/stack/README.md.
#
# Usage: stack.sh up|down|status|env|start <svc>|stop <svc>|kill <svc>|restart <svc>
#        svc = postgres | redis | rabbitmq | nginx | adb
#        stack.sh psql|redis-cli|rabbitmqctl [args...]   (clients bound to this stack)
set -euo pipefail

export PATH="${PATH:+$PATH:}/usr/sbin:/usr/bin:/sbin:/bin"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

# ---------------------------------------------------------------- settings --
STACK_NAME="${STACK_NAME:-dev}"
STACK_DIR="${STACK_DIR:-$REPO_ROOT/.stack/$STACK_NAME}"
PG_PORT="${PG_PORT:-55432}"
REDIS_PORT="${REDIS_PORT:-56379}"
AMQP_PORT="${AMQP_PORT:-55672}"
# Erlang distribution port: AMQP_PORT+10000, or AMQP_PORT-10000 when that
# would exceed 65535 (dev: 55672 -> 45672, t1: 55682 -> 45682)
if [[ -z "${RABBITMQ_DIST_PORT:-}" && "$AMQP_PORT" =~ ^[0-9]+$ ]]; then
  if ((AMQP_PORT + 10000 <= 65535)); then RABBITMQ_DIST_PORT=$((AMQP_PORT + 10000)); else RABBITMQ_DIST_PORT=$((AMQP_PORT - 10000)); fi
fi
RABBITMQ_DIST_PORT="${RABBITMQ_DIST_PORT:-}"
GATEWAY_PORT="${GATEWAY_PORT:-8080}"
ADB_PORT="${ADB_PORT:-5037}"
PG_USER="${PG_USER:-ish}"
PG_PASSWORD="${PG_PASSWORD:-ish}"
PG_DATABASE="${PG_DATABASE:-ish}"
RABBITMQ_USER="${RABBITMQ_USER:-ish}"
RABBITMQ_PASSWORD="${RABBITMQ_PASSWORD:-ish}"
NGINX_SITE_CONF="${NGINX_SITE_CONF:-}"
STACK_TIMEOUT="${STACK_TIMEOUT:-60}"

SERVICES=(postgres redis rabbitmq nginx adb)

if [[ ! "$STACK_NAME" =~ ^[A-Za-z0-9_-]+$ ]]; then
  echo "stack.sh: STACK_NAME must match [A-Za-z0-9_-]+ (got '$STACK_NAME')" >&2
  exit 2
fi
for _v in PG_PORT REDIS_PORT AMQP_PORT RABBITMQ_DIST_PORT GATEWAY_PORT ADB_PORT STACK_TIMEOUT; do
  if [[ ! "${!_v}" =~ ^[0-9]+$ ]]; then
    echo "stack.sh: $_v must be a number (got '${!_v}')" >&2
    exit 2
  fi
done
for _v in PG_PORT REDIS_PORT AMQP_PORT RABBITMQ_DIST_PORT GATEWAY_PORT ADB_PORT; do
  if ((${!_v} < 1 || ${!_v} > 65535)); then
    echo "stack.sh: $_v=${!_v} is not a valid port" >&2
    exit 2
  fi
done
case "$STACK_DIR" in /*) ;; *) STACK_DIR="$PWD/$STACK_DIR" ;; esac

LOG_DIR="$STACK_DIR/logs"
IS_ROOT=0
[[ "$(id -u)" == 0 ]] && IS_ROOT=1

# PostgreSQL
PG_DIR="$STACK_DIR/postgres"
PG_DATA="$PG_DIR/data"
PG_SOCK="$PG_DIR/run"
PG_LOG="$LOG_DIR/postgres.log"
# unix socket paths are limited to ~107 bytes
if ((${#PG_SOCK} + 20 > 100)); then PG_SOCK="/tmp/ish-stack-pg-$STACK_NAME"; fi

# Redis
REDIS_DIR="$STACK_DIR/redis"
REDIS_CONF="$REDIS_DIR/redis.conf"
REDIS_PID="$REDIS_DIR/redis.pid"
REDIS_LOG="$LOG_DIR/redis.log"

# RabbitMQ
MQ_DIR="$STACK_DIR/rabbitmq"
MQ_HOME="$MQ_DIR/home"
MQ_MNESIA="$MQ_DIR/mnesia"
MQ_PID="$MQ_DIR/rabbitmq.pid"
MQ_CONF="$MQ_DIR/rabbitmq.conf"
MQ_LOG_BASE="$LOG_DIR/rabbitmq"
MQ_STARTUP_LOG="$MQ_LOG_BASE/startup.log"
MQ_NODE="ish_${STACK_NAME}@localhost"
MQ_NODE_LOG="$MQ_LOG_BASE/$MQ_NODE.log"
MQ_BIN_DIR="/usr/lib/rabbitmq/bin"

# nginx
NG_DIR="$STACK_DIR/nginx"
NG_CONF="$NG_DIR/nginx.conf"
NG_DEFAULT_SITE="$NG_DIR/default-site.conf"
NG_PID="$NG_DIR/nginx.pid"
NG_ERRLOG="$LOG_DIR/nginx-error.log"
NG_ACCESSLOG="$LOG_DIR/nginx-access.log"

# adb server (host side of the Android Debug Bridge); its keys live in the stack, not in ~/.android
ADB_DIR="$STACK_DIR/adb"
ADB_HOME="$ADB_DIR/home"
ADB_PID="$ADB_DIR/adb.pid"
ADB_LOG="$LOG_DIR/adb.log"

# ----------------------------------------------------------------- helpers --
rel() { local p="$1"; echo "${p#"$REPO_ROOT"/}"; }
info() { printf '%s\n' "$*" >&2; }  # progress notes (stdout carries results)
die() { printf 'stack.sh[%s]: %s\n' "$STACK_NAME" "$*" >&2; exit 1; }

# fail <svc> <logfile> <message> [detail]: print the error, point at the log
# and show the detail text (default: the end of the log); exits 1.
fail() {
  local svc="$1" log="$2" msg="$3" detail="${4:-}"
  printf 'stack.sh[%s]: %s: %s -- see %s\n' "$STACK_NAME" "$svc" "$msg" "$(rel "$log")" >&2
  if [[ -n "$detail" ]]; then
    printf '%s\n' "$detail" | sed 's/^/    | /' >&2
  elif [[ -s "$log" ]]; then
    tail -n 15 "$log" 2>/dev/null | sed 's/^/    | /' >&2 || true
  fi
  exit 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

read_pid() {
  if [[ -r "$1" ]]; then head -n 1 "$1" 2>/dev/null | tr -dc '0-9' || true; fi
}

# pid_ok <pid> <substring of /proc/pid/cmdline>: process alive and is ours
pid_ok() {
  local pid="$1" pat="$2" cmd
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  [[ -n "$cmd" && "$cmd" == *"$pat"* ]]
}

wait_pid_gone() { # <pid> <seconds>
  local pid="$1" end=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null; do
    # a zombie counts as gone
    [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)" == Z ]] && return 0
    ((SECONDS >= end)) && return 1
    sleep 0.2
  done
}

# kill a process, its direct children and, if it leads its own process group,
# that group (postgres backends and nginx workers must die with their master)
kill_tree() { # <signal> <pid>
  local sig="$1" pid="$2" pgid kids
  kids="$(pgrep -P "$pid" 2>/dev/null || true)"
  pgid="$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ' || true)"
  kill "-$sig" "$pid" 2>/dev/null || true
  if [[ -n "$pgid" && "$pgid" == "$pid" ]]; then kill "-$sig" -- "-$pgid" 2>/dev/null || true; fi
  # shellcheck disable=SC2086
  if [[ -n "$kids" ]]; then kill "-$sig" $kids 2>/dev/null || true; fi
}

svc_port() {
  case "$1" in
    postgres) echo "$PG_PORT" ;;
    redis) echo "$REDIS_PORT" ;;
    rabbitmq) echo "$AMQP_PORT" ;;
    nginx) echo "$GATEWAY_PORT" ;;
    adb) echo "$ADB_PORT" ;;
  esac
}

# svc_pid <svc>: prints the pid of this stack's server process if it is alive
svc_pid() {
  local pid
  case "$1" in
    postgres)
      pid="$(read_pid "$PG_DATA/postmaster.pid")"
      pid_ok "$pid" "$PG_DATA" && echo "$pid" ;;
    redis)
      pid="$(read_pid "$REDIS_PID")"
      pid_ok "$pid" "redis" && echo "$pid" ;;
    rabbitmq)
      pid="$(read_pid "$MQ_PID")"
      pid_ok "$pid" "$MQ_HOME" && echo "$pid" ;; # beam.smp ... -home <stack>/rabbitmq/home
    nginx)
      pid="$(read_pid "$NG_PID")"
      pid_ok "$pid" "$NG_CONF" && echo "$pid" ;;
    adb)
      pid="$(read_pid "$ADB_PID")"
      pid_ok "$pid" "tcp:$ADB_PORT server" && echo "$pid" ;; # adb -L tcp:<port> server nodaemon
  esac
  return 0
}

svc_up() { [[ -n "$(svc_pid "$1")" ]] && port_open "$(svc_port "$1")"; }

# Refuse to start when the port is taken by something that is not ours.
check_port_free() { # <svc>
  local port
  port="$(svc_port "$1")"
  if port_open "$port"; then
    die "$1: port 127.0.0.1:$port is already in use by another process (not stack '$STACK_NAME'); choose another port or stop it"
  fi
}

# poll_ready <svc|-> <pause> <probe...>: true once the probe answers; false after STACK_TIMEOUT
# or, when a service is named, as soon as its process is gone
poll_ready() {
  local alive="$1" pause="$2" end=$((SECONDS + STACK_TIMEOUT))
  shift 2
  until "$@"; do
    ((SECONDS >= end)) && return 1
    [[ "$alive" == - || -n "$(svc_pid "$alive")" ]] || return 1
    sleep "$pause"
  done
}

# stop_pid <svc> <log> <pid> <seconds> [<signal> <seconds>]...: waits for the pid to go, sending the next signal
# (tree-<SIG>: to its process tree) each time a wait runs out; fails when the last one does
stop_pid() {
  local svc="$1" log="$2" pid="$3" wait="$4"
  shift 4
  until wait_pid_gone "$pid" "$wait"; do
    (($# >= 2)) || fail "$svc" "$log" "did not stop"
    case "$1" in
      tree-*) kill_tree "${1#tree-}" "$pid" ;;
      *) kill "-$1" "$pid" 2>/dev/null || true ;;
    esac
    wait="$2"
    shift 2
  done
}

# already_running <svc> <log>: true, saying so, when this stack's process of the service is alive; it must then
# answer within STACK_TIMEOUT (a server still starting or recovering)
already_running() {
  [[ -n "$(svc_pid "$1")" ]] || return 1
  "$(svc_fn "$1")_wait_ready" || fail "$1" "$2" "running but not answering on 127.0.0.1:$(svc_port "$1")"
  echo "already running"
}

# sigkill_svc <svc> <log> <pid|tree> [what]: SIGKILL the service's process (tree: with its children)
sigkill_svc() {
  local pid
  pid="$(svc_pid "$1")"
  if [[ -z "$pid" ]]; then echo "not running"; return 0; fi
  if [[ "$3" == tree ]]; then kill_tree KILL "$pid"; else kill -KILL "$pid" 2>/dev/null || true; fi
  wait_pid_gone "$pid" 10 || fail "$1" "$2" "pid $pid survived SIGKILL"
  echo "killed: SIGKILL ${4:-}pid $pid"
}

prepare_dirs() {
  mkdir -p "$STACK_DIR" "$LOG_DIR"
  chmod 755 "$STACK_DIR" "$LOG_DIR" 2>/dev/null || true
}

# ---------------------------------------------------- package installation --
pg_bindir() {
  local d best=""
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/psql" && -x "$d/pg_isready" ]] || continue
    if [[ -z "$best" ]] || [[ "$(printf '%s\n%s\n' "$best" "$d" | sort -V | tail -n 1)" == "$d" ]]; then
      best="$d"
    fi
  done
  echo "$best"
}

missing_packages() { # <svc>...
  local s pkgs=()
  for s in "$@"; do
    case "$s" in
      postgres)
        if [[ -z "$(pg_bindir)" ]]; then
          pkgs+=(postgresql postgresql-client)
        fi ;;
      redis)
        command -v redis-server >/dev/null || pkgs+=(redis-server)
        command -v redis-cli >/dev/null || pkgs+=(redis-tools) ;;
      rabbitmq)
        [[ -x "$MQ_BIN_DIR/rabbitmq-server" && -x "$MQ_BIN_DIR/rabbitmqctl" ]] || pkgs+=(rabbitmq-server) ;;
      nginx)
        command -v nginx >/dev/null || pkgs+=(nginx) ;;
      adb)
        command -v adb >/dev/null || pkgs+=(adb) ;;
    esac
  done
  echo "${pkgs[*]:-}"
}

ensure_packages() { # <svc>...
  local missing
  missing="$(missing_packages "$@")"
  [[ -z "$missing" ]] && return 0
  if ((!IS_ROOT)); then
    echo "stack.sh: missing Debian packages: $missing" >&2
    echo "stack.sh: install them first:  sudo apt-get install -y $missing" >&2
    exit 1
  fi
  (
    # serialize installs between stacks started in parallel
    exec 8>/tmp/ish-stack-apt.lock
    flock -w 900 8 || { echo "stack.sh: timed out waiting for another package install" >&2; exit 1; }
    missing="$(missing_packages "$@")"
    [[ -z "$missing" ]] && exit 0
    info "installing Debian packages: $missing"
    # shellcheck disable=SC2086 # one word per package
    "$REPO_ROOT/tools/apt-install.sh" /tmp/ish-stack-apt.log $missing || exit 1
    missing="$(missing_packages "$@")"
    if [[ -n "$missing" ]]; then
      echo "stack.sh: packages still missing after install: $missing" >&2
      exit 1
    fi
  )
}

# -------------------------------------------------------------- PostgreSQL --
PG_BIN=""
pg_init_bin() { [[ -n "$PG_BIN" ]] || PG_BIN="$(pg_bindir)"; [[ -n "$PG_BIN" ]] || die "postgres: no server binaries in /usr/lib/postgresql/*/bin"; }

as_pg() {
  if ((IS_ROOT)); then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# postgres (as its own user) must be able to reach the stack dir
pg_ensure_traversable() {
  ((IS_ROOT)) || return 0
  runuser -u postgres -- test -x "$PG_DIR" 2>/dev/null && return 0
  local d="$PG_DIR"
  while [[ "$d" != "/" ]]; do
    d="$(dirname "$d")"
    if ! runuser -u postgres -- test -x "$d" 2>/dev/null; then
      chmod o+x "$d"
      info "note: made $d traversable (o+x) for the postgres user"
    fi
  done
}

pg_prepare() {
  pg_init_bin
  mkdir -p "$PG_DIR" "$PG_SOCK"
  touch "$PG_LOG"
  if ((IS_ROOT)); then
    chown postgres:postgres "$PG_DIR" "$PG_SOCK" "$PG_LOG"
    if [[ -d "$PG_DATA" && "$(stat -c %U "$PG_DATA")" != postgres ]]; then chown -R postgres:postgres "$PG_DATA"; fi
  fi
  chmod 755 "$PG_DIR"
  pg_ensure_traversable
  if [[ ! -s "$PG_DATA/PG_VERSION" ]]; then
    info "postgres: initializing cluster in $(rel "$PG_DATA")"
    if ! as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >>"$PG_LOG" 2>&1; then
      fail postgres "$PG_LOG" "initdb failed"
    fi
    printf "\n# settings managed by tools/stack/stack.sh\ninclude_if_exists = 'stack.conf'\n" >>"$PG_DATA/postgresql.conf"
  fi
  cat >"$PG_DATA/stack.conf" <<EOF
# generated by tools/stack/stack.sh -- rewritten on every start
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCK'
max_connections = 200
shared_buffers = 128MB
fsync = on
timezone = 'UTC'
log_timezone = 'UTC'
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
EOF
  ((IS_ROOT)) && chown postgres:postgres "$PG_DATA/stack.conf" "$PG_DATA/postgresql.conf"
  # stale lock files after a crash (pid dead or reused by another program)
  local f pid
  for f in "$PG_DATA/postmaster.pid" "$PG_SOCK/.s.PGSQL.$PG_PORT.lock"; do
    [[ -e "$f" ]] || continue
    pid="$(read_pid "$f")"
    pid_ok "$pid" "$PG_DATA" || rm -f "$f"
  done
  return 0
}

pg_bootstrap() {
  if ! "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d postgres \
    -v u="$PG_USER" -v p="$PG_PASSWORD" -v d="$PG_DATABASE" >>"$PG_LOG" 2>&1 <<'SQL'; then
SELECT format('CREATE ROLE %I LOGIN CREATEDB', :'u') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'u') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'u', :'p') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'d', :'u') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'d') \gexec
SQL
    fail postgres "$PG_LOG" "could not create role/database"
  fi
}

pg_start() {
  already_running postgres "$PG_LOG" && return 0
  check_port_free postgres
  pg_prepare
  # shellcheck disable=SC2094 # pg_ctl appends to the log itself (-l)
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$STACK_TIMEOUT" -s start </dev/null >>"$PG_LOG" 2>&1 9>&-; then
    fail postgres "$PG_LOG" "failed to start"
  fi
  pg_wait_ready || fail postgres "$PG_LOG" "not ready within ${STACK_TIMEOUT}s"
  pg_bootstrap
  echo "started"
}

pg_ping() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2 >/dev/null 2>&1; }

pg_wait_ready() {
  pg_init_bin
  poll_ready postgres 0.3 pg_ping
}

pg_stop() {
  local pid
  pid="$(svc_pid postgres)"
  if [[ -z "$pid" ]]; then echo "not running"; return 0; fi
  pg_init_bin
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t "$STACK_TIMEOUT" -s stop >>"$PG_LOG" 2>&1 ||
    stop_pid postgres "$PG_LOG" "$pid" 0 TERM 15
  echo "stopped"
}

pg_kill() { sigkill_svc postgres "$PG_LOG" tree; } # postmaster and all its backends (own process group)

# ------------------------------------------------------------------- Redis --
redis_prepare() {
  mkdir -p "$REDIS_DIR/data"
  cat >"$REDIS_CONF" <<EOF
# generated by tools/stack/stack.sh -- rewritten on every start
bind 127.0.0.1
protected-mode yes
port $REDIS_PORT
daemonize yes
pidfile $REDIS_PID
logfile $REDIS_LOG
loglevel notice
dir $REDIS_DIR/data
save ""
appendonly yes
appendfsync everysec
appendfilename "appendonly.aof"
maxmemory-policy noeviction
databases 16
EOF
  local pid
  pid="$(read_pid "$REDIS_PID")"
  [[ -n "$pid" ]] && ! pid_ok "$pid" redis && rm -f "$REDIS_PID"
  return 0
}

redis_ping() { [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null || true)" == PONG ]]; }

redis_wait_ready() { poll_ready - 0.2 redis_ping && [[ -n "$(svc_pid redis)" ]]; }

redis_start() {
  already_running redis "$REDIS_LOG" && return 0
  check_port_free redis
  redis_prepare
  redis-server "$REDIS_CONF" </dev/null >>"$REDIS_LOG" 2>&1 9>&- || fail redis "$REDIS_LOG" "failed to start"
  redis_wait_ready || fail redis "$REDIS_LOG" "not ready within ${STACK_TIMEOUT}s"
  echo "started"
}

redis_stop() {
  local pid
  pid="$(svc_pid redis)"
  if [[ -z "$pid" ]]; then echo "not running"; return 0; fi
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
  stop_pid redis "$REDIS_LOG" "$pid" "$STACK_TIMEOUT" TERM 10
  echo "stopped"
}

redis_kill() { sigkill_svc redis "$REDIS_LOG" pid; }

# ---------------------------------------------------------------- RabbitMQ --
# Run a command with this stack's RabbitMQ environment (per-stack HOME, so the
# Erlang cookie is per stack).
rmq_env() {
  env -u NOTIFY_SOCKET -u RABBITMQ_MNESIA_DIR -u RABBITMQ_LOGS -u RABBITMQ_CONFIG_FILES -u RABBITMQ_SERVER_START_ARGS \
    -u RABBITMQ_ENABLED_PLUGINS -u RABBITMQ_NODENAME -u RABBITMQ_USE_LONGNAME \
    HOME="$MQ_HOME" \
    ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_NODENAME="$MQ_NODE" \
    RABBITMQ_USE_LONGNAME=false \
    RABBITMQ_CONF_ENV_FILE="$MQ_DIR/rabbitmq-env.conf" \
    RABBITMQ_CONFIG_FILE="$MQ_CONF" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$MQ_DIR/advanced.config" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$MQ_DIR/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$MQ_MNESIA" \
    RABBITMQ_LOG_BASE="$MQ_LOG_BASE" \
    RABBITMQ_PID_FILE="$MQ_PID" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$AMQP_PORT" \
    RABBITMQ_DIST_PORT="$RABBITMQ_DIST_PORT" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    "$@"
}

rmqctl() { rmq_env "$MQ_BIN_DIR/rabbitmqctl" -n "$MQ_NODE" -q "$@"; }

mq_prepare() {
  mkdir -p "$MQ_DIR" "$MQ_HOME" "$MQ_MNESIA" "$MQ_LOG_BASE"
  chmod 700 "$MQ_HOME"
  if [[ ! -s "$MQ_HOME/.erlang.cookie" ]]; then
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n' | tr 'a-f' 'A-F' >"$MQ_HOME/.erlang.cookie"
    chmod 400 "$MQ_HOME/.erlang.cookie"
  fi
  : >"$MQ_DIR/rabbitmq-env.conf"
  echo '[].' >"$MQ_DIR/enabled_plugins"
  cat >"$MQ_CONF" <<EOF
# generated by tools/stack/stack.sh -- rewritten on every start
# listener address/port come from RABBITMQ_NODE_IP_ADDRESS / RABBITMQ_NODE_PORT
disk_free_limit.absolute = 50MB
vm_memory_high_watermark.relative = 0.4
log.console = false
log.file.level = info
# user created on first boot (no 'guest'); re-checked by stack.sh
default_vhost = /
default_user = $RABBITMQ_USER
default_pass = $RABBITMQ_PASSWORD
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
EOF
  rm -f "$MQ_PID"
}

MQ_LAUNCHER_PID=""
# mq_launch: start the node in the background (does not wait)
mq_launch() {
  check_port_free rabbitmq
  mq_prepare
  echo "--- $(date -u '+%F %T') starting $MQ_NODE" >>"$MQ_STARTUP_LOG"
  # Debian's /usr/sbin/rabbitmq-server would switch to the rabbitmq user and
  # /var/lib/rabbitmq; run the real script with our environment instead.
  # setsid: own session/process group, so signals aimed at our caller's
  # process group do not reach the broker. 9>&- : don't inherit the stack lock.
  (cd "$MQ_DIR" && rmq_env setsid "$MQ_BIN_DIR/rabbitmq-server") \
    </dev/null >>"$MQ_STARTUP_LOG" 2>&1 9>&- &
  MQ_LAUNCHER_PID=$!
  # return only once the node has written its pid file, so that a `down`
  # right after a failed `up` still finds (and stops) it
  local end=$((SECONDS + STACK_TIMEOUT))
  until [[ -n "$(svc_pid rabbitmq)" ]]; do
    kill -0 "$MQ_LAUNCHER_PID" 2>/dev/null || return 0 # died: mq_wait reports it
    ((SECONDS >= end)) && return 0
    sleep 0.1
  done
}

# mq_wait: wait for the node launched by mq_launch (or an already running one)
mq_wait() {
  local end=$((SECONDS + STACK_TIMEOUT)) log="$MQ_NODE_LOG"
  # fast path: a node that was already running and accepts AMQP is booted
  if [[ "${MQ_STATE:-}" == "already running" ]] && svc_up rabbitmq; then return 0; fi
  [[ -s "$log" ]] || log="$MQ_STARTUP_LOG"
  while :; do
    if [[ -n "$(svc_pid rabbitmq)" ]] && port_open "$AMQP_PORT"; then break; fi
    if [[ -n "$MQ_LAUNCHER_PID" ]] && ! kill -0 "$MQ_LAUNCHER_PID" 2>/dev/null; then
      [[ -s "$MQ_NODE_LOG" ]] && log="$MQ_NODE_LOG"
      tail -n 5 "$MQ_STARTUP_LOG" 2>/dev/null | sed 's/^/    | /' >&2 || true
      fail rabbitmq "$log" "node exited during startup (startup output: $(rel "$MQ_STARTUP_LOG"))"
    fi
    if ((SECONDS >= end)); then
      [[ -s "$MQ_NODE_LOG" ]] && log="$MQ_NODE_LOG"
      fail rabbitmq "$log" "not answering on 127.0.0.1:$AMQP_PORT within ${STACK_TIMEOUT}s"
    fi
    sleep 0.3
  done
  local left=$((end - SECONDS))
  ((left < 10)) && left=10
  rmqctl await_startup --timeout "$left" >>"$MQ_STARTUP_LOG" 2>&1 ||
    fail rabbitmq "$MQ_NODE_LOG" "node did not finish booting"
  mq_ensure_user
}

mq_ensure_user() {
  local marker="$MQ_MNESIA/.ish-stack-user" want users
  want="$(printf '%s:%s' "$RABBITMQ_USER" "$RABBITMQ_PASSWORD" | sha256sum | cut -d' ' -f1)"
  [[ "$(cat "$marker" 2>/dev/null || true)" == "$want" ]] && return 0
  {
    users="$(rmqctl list_users -s | awk '{print $1}')" || return 1
    if grep -qxF -- "$RABBITMQ_USER" <<<"$users"; then
      rmqctl change_password "$RABBITMQ_USER" "$RABBITMQ_PASSWORD"
    else
      rmqctl add_user "$RABBITMQ_USER" "$RABBITMQ_PASSWORD"
    fi
    rmqctl set_user_tags "$RABBITMQ_USER" administrator
    rmqctl set_permissions -p / "$RABBITMQ_USER" '.*' '.*' '.*'
    if [[ "$RABBITMQ_USER" != guest ]] && grep -qxF guest <<<"$users"; then
      rmqctl delete_user guest
    fi
  } >>"$MQ_STARTUP_LOG" 2>&1 || fail rabbitmq "$MQ_STARTUP_LOG" "could not set up user '$RABBITMQ_USER'"
  echo "$want" >"$marker"
}

mq_start_bg() { # launch only; prints nothing. Sets MQ_STATE.
  MQ_STATE=""
  if svc_up rabbitmq; then MQ_STATE="already running"; return 0; fi
  if [[ -n "$(svc_pid rabbitmq)" ]]; then MQ_STATE="already running"; return 0; fi # booting
  mq_launch
  MQ_STATE="started"
}

mq_start() {
  mq_start_bg
  mq_wait
  echo "$MQ_STATE"
}

mq_stop() {
  local pid
  pid="$(svc_pid rabbitmq)"
  if [[ -z "$pid" ]]; then echo "not running"; rm -f "$MQ_PID"; return 0; fi
  rmq_env timeout "$((STACK_TIMEOUT + 10))" "$MQ_BIN_DIR/rabbitmqctl" -n "$MQ_NODE" -q stop --idempotent "$MQ_PID" \
    >>"$MQ_STARTUP_LOG" 2>&1 || true
  stop_pid rabbitmq "$MQ_NODE_LOG" "$pid" 10 TERM 20 KILL 5
  rm -f "$MQ_PID"
  echo "stopped"
}

mq_kill() { sigkill_svc rabbitmq "$MQ_NODE_LOG" pid "beam.smp "; } # only this node's beam.smp (epmd is shared)

# ------------------------------------------------------------------- nginx --
ng() { nginx -p "$NG_DIR/" -c "$NG_CONF" -e "$NG_ERRLOG" "$@"; }

# ng_conf <force>: (re)generate nginx.conf and validate it (nginx -t). With
# force=0 an existing nginx.conf is kept unless NGINX_SITE_CONF is set, so
# start/restart of the single service keep the site chosen by the last `up`.
# A new config replaces the current one only if it passes the test, so a
# broken site conf never takes down a running gateway.
ng_conf() {
  local force="$1" site out new="$NG_CONF.new"
  mkdir -p "$NG_DIR/tmp"
  touch "$NG_ERRLOG" "$NG_ACCESSLOG"
  if [[ "$force" == 0 && -z "$NGINX_SITE_CONF" && -s "$NG_CONF" ]]; then
    out="$(nginx -p "$NG_DIR/" -c "$NG_CONF" -e "$NG_ERRLOG" -t -q 2>&1)" ||
      fail nginx "$NG_ERRLOG" "configuration test failed ($(rel "$NG_CONF"))" "$out"
    return 0
  fi
  if [[ -n "$NGINX_SITE_CONF" ]]; then
    site="$NGINX_SITE_CONF"
    case "$site" in /*) ;; *) site="$PWD/$site" ;; esac
    [[ -r "$site" ]] || die "nginx: NGINX_SITE_CONF=$NGINX_SITE_CONF is not a readable file"
  else
    site="$NG_DEFAULT_SITE"
    cat >"$NG_DEFAULT_SITE" <<EOF
# generated by tools/stack/stack.sh: placeholder gateway (NGINX_SITE_CONF unset)
server {
    listen 127.0.0.1:$GATEWAY_PORT default_server;
    server_name _;
    default_type application/json;
    location / {
        return 503 '{"error":{"type":"api_error","code":"gateway_not_configured","message":"The ISH Chat gateway is not configured: start the stack with NGINX_SITE_CONF pointing to the gateway site configuration."}}\n';
    }
}
EOF
  fi
  local user_line=""
  ((IS_ROOT)) && user_line="user nobody nogroup;"
  cat >"$new" <<EOF
# generated by tools/stack/stack.sh -- rewritten on every 'up'
$user_line
# one worker per core; 1000 clients plus upstream keep-alives need more than the default 1024 connections
worker_processes auto;
worker_rlimit_nofile 65536;
daemon on;
pid $NG_PID;
error_log $NG_ERRLOG warn;

events {
    worker_connections 16384;
}

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $NG_ACCESSLOG;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    server_tokens off;
    client_body_temp_path $NG_DIR/tmp/client_body;
    proxy_temp_path $NG_DIR/tmp/proxy;
    fastcgi_temp_path $NG_DIR/tmp/fastcgi;
    uwsgi_temp_path $NG_DIR/tmp/uwsgi;
    scgi_temp_path $NG_DIR/tmp/scgi;

    include $site;
}
EOF
  if ! out="$(nginx -p "$NG_DIR/" -c "$new" -e "$NG_ERRLOG" -t -q 2>&1)"; then
    rm -f "$new"
    fail nginx "$NG_ERRLOG" "configuration test failed for site $site (current config kept)" "$out"
  fi
  mv -f "$new" "$NG_CONF"
}

ng_wait_ready() { poll_ready - 0.2 svc_up nginx; }

ng_start() { # <force-conf> <reload-if-running>
  local force="${1:-0}" reload="${2:-0}"
  if [[ -n "$(svc_pid nginx)" && "$reload" == 1 ]]; then
    ng_conf "$force"
    ng -s reload >>"$NG_ERRLOG" 2>&1 || fail nginx "$NG_ERRLOG" "reload failed"
    sleep 0.3
    ng_wait_ready || fail nginx "$NG_ERRLOG" "not answering on 127.0.0.1:$GATEWAY_PORT after reload"
    echo "reloaded"; return 0
  fi
  already_running nginx "$NG_ERRLOG" && return 0
  check_port_free nginx
  ng_conf "$force"
  rm -f "$NG_PID"
  ng </dev/null >>"$NG_ERRLOG" 2>&1 9>&- || fail nginx "$NG_ERRLOG" "failed to start"
  ng_wait_ready || fail nginx "$NG_ERRLOG" "not answering on 127.0.0.1:$GATEWAY_PORT within ${STACK_TIMEOUT}s"
  echo "started"
}

ng_stop() {
  local pid
  pid="$(svc_pid nginx)"
  if [[ -z "$pid" ]]; then echo "not running"; return 0; fi
  ng -s quit >>"$NG_ERRLOG" 2>&1 || kill -QUIT "$pid" 2>/dev/null || true
  stop_pid nginx "$NG_ERRLOG" "$pid" 15 tree-TERM 10
  echo "stopped"
}

ng_kill() { sigkill_svc nginx "$NG_ERRLOG" tree; } # master and workers (workers would keep the port)

# --------------------------------------------------------------------- adb --
# `host:version` on the host protocol: an adb server answers OKAY. (The adb client itself would start
# a server when none answers, so it is not used to probe.)
adb_ping() {
  local reply
  reply="$( (exec 3<>"/dev/tcp/127.0.0.1/$ADB_PORT" && printf '000chost:version' >&3 && timeout 2 head -c 4 <&3) 2>/dev/null || true)"
  [[ "$reply" == OKAY ]]
}

adb_wait_ready() { poll_ready adb 0.2 adb_ping; }

adb_start() {
  already_running adb "$ADB_LOG" && return 0
  # one adb server per port serves every client: one that is already there is used, not replaced
  if adb_ping; then echo "already running (not started by this stack)"; return 0; fi
  check_port_free adb
  mkdir -p "$ADB_HOME"
  touch "$ADB_LOG"
  rm -f "$ADB_PID"
  # nodaemon keeps the server in the process we start, so the pid file names it; setsid keeps a
  # terminal's Ctrl-C from reaching it (like the other servers, it stops with `down`); the subshell
  # execs, so $! is adb itself, and holds none of our pipes
  (cd / && HOME="$ADB_HOME" ADB_VENDOR_KEYS="" exec setsid adb -L "tcp:$ADB_PORT" server nodaemon) </dev/null >>"$ADB_LOG" 2>&1 8>&- 9>&- &
  echo $! >"$ADB_PID"
  adb_wait_ready || fail adb "$ADB_LOG" "not answering on 127.0.0.1:$ADB_PORT within ${STACK_TIMEOUT}s"
  echo "started"
}

adb_stop() {
  local pid
  pid="$(svc_pid adb)"
  if [[ -z "$pid" ]]; then
    rm -f "$ADB_PID"
    if adb_ping; then echo "not running (the adb server on 127.0.0.1:$ADB_PORT was not started by this stack: left alone)"; else echo "not running"; fi
    return 0
  fi
  stop_pid adb "$ADB_LOG" "$pid" 0 TERM 10 KILL 5
  rm -f "$ADB_PID"
  echo "stopped"
}

adb_kill() { sigkill_svc adb "$ADB_LOG" pid; rm -f "$ADB_PID"; }

# ---------------------------------------------------------------- commands --
line() { printf '%-9s %-5s 127.0.0.1:%-6s %s\n' "$1" "$2" "$(svc_port "$1")" "${3:-}"; }

lock_stack() {
  prepare_dirs
  exec 9>"$STACK_DIR/.lock"
  flock -w $((STACK_TIMEOUT * 4)) 9 || die "another stack.sh is busy with stack '$STACK_NAME' ($(rel "$STACK_DIR/.lock"))"
}

# the prefix of a service's functions (pg_start, mq_stop, ...)
svc_fn() {
  case "$1" in
    postgres) echo pg ;;
    rabbitmq) echo mq ;;
    nginx) echo ng ;;
    *) echo "$1" ;;
  esac
}

svc_start() { # <svc> <mode: up|start>
  local r
  if [[ "$1" == nginx && "$2" == up ]]; then r="$(ng_start 1 1)"; else r="$("$(svc_fn "$1")_start")"; fi
  line "$1" up "($r)"
}

svc_stop() { local r; r="$("$(svc_fn "$1")_stop")"; line "$1" down "($r)"; }

svc_kill() { local r; r="$("$(svc_fn "$1")_kill")"; line "$1" down "($r)"; }

cmd_up() {
  ensure_packages "${SERVICES[@]}"
  lock_stack
  # fail early (before launching anything) on ports taken by someone else
  local s
  for s in "${SERVICES[@]}"; do
    # an adb server already on ADB_PORT is used as it is (adb_start)
    if [[ "$s" == adb ]] && adb_ping; then continue; fi
    [[ -n "$(svc_pid "$s")" ]] || check_port_free "$s"
  done
  # RabbitMQ boots slowest: launch it first, start the others meanwhile.
  mq_start_bg
  svc_start postgres up
  svc_start redis up
  svc_start nginx up
  svc_start adb up
  mq_wait
  line rabbitmq up "($MQ_STATE)"
}

cmd_down() {
  if [[ ! -d "$STACK_DIR" ]]; then
    local s
    for s in "${SERVICES[@]}"; do line "$s" down "(not running)"; done
    return 0
  fi
  lock_stack
  svc_stop adb
  svc_stop nginx
  svc_stop rabbitmq
  svc_stop redis
  svc_stop postgres
}

cmd_status() {
  local s pid rc=0
  for s in "${SERVICES[@]}"; do
    pid="$(svc_pid "$s")"
    if [[ -n "$pid" ]] && port_open "$(svc_port "$s")"; then
      line "$s" up "(pid $pid)"
    elif [[ "$s" == adb ]] && adb_ping; then
      line "$s" up "(not started by this stack)"
    elif [[ -n "$pid" ]]; then
      line "$s" down "(pid $pid alive but port not answering)"; rc=1
    else
      line "$s" down; rc=1
    fi
  done
  return "$rc"
}

urlenc() {
  local s="$1" out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c="${s:i:1}"
    case "$c" in
      [A-Za-z0-9._~-]) out+="$c" ;;
      *) out+="$(printf '%%%02X' "'$c")" ;;
    esac
  done
  echo "$out"
}

cmd_env() {
  echo "export DATABASE_URL=postgres://$(urlenc "$PG_USER"):$(urlenc "$PG_PASSWORD")@127.0.0.1:$PG_PORT/$(urlenc "$PG_DATABASE")"
  echo "export REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
  echo "export RABBITMQ_URL=amqp://$(urlenc "$RABBITMQ_USER"):$(urlenc "$RABBITMQ_PASSWORD")@127.0.0.1:$AMQP_PORT"
  echo "export GATEWAY_PORT=$GATEWAY_PORT"
  echo "export ADB_PORT=$ADB_PORT"
}

usage() {
  cat >&2 <<EOF
usage: tools/stack/stack.sh up|down|status|env
       tools/stack/stack.sh start|stop|restart|kill <postgres|redis|rabbitmq|nginx|adb>
       tools/stack/stack.sh psql|redis-cli|rabbitmqctl [args...]
(stack '$STACK_NAME' in $(rel "$STACK_DIR"); see tools/stack/README.md)
EOF
  exit 2
}

need_svc() {
  [[ $# -eq 1 ]] || usage
  case "$1" in postgres | redis | rabbitmq | nginx | adb) ;; *) usage ;; esac
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    up) [[ $# -eq 0 ]] || usage; cmd_up ;;
    down) [[ $# -eq 0 ]] || usage; cmd_down ;;
    status) [[ $# -eq 0 ]] || usage; cmd_status ;;
    env) [[ $# -eq 0 ]] || usage; cmd_env ;;
    start)
      need_svc "$@"; ensure_packages "$1"; lock_stack
      svc_start "$1" start ;;
    stop)
      need_svc "$@"
      if [[ ! -d "$STACK_DIR" ]]; then line "$1" down "(not running)"; return 0; fi
      lock_stack; svc_stop "$1" ;;
    restart)
      need_svc "$@"; ensure_packages "$1"; lock_stack
      svc_stop "$1" >/dev/null
      svc_start "$1" start ;;
    kill)
      need_svc "$@"
      if [[ ! -d "$STACK_DIR" ]]; then line "$1" down "(not running)"; return 0; fi
      lock_stack; svc_kill "$1" ;;
    # clients bound to this stack, e.g. `stack.sh rabbitmqctl list_queues`
    psql) pg_init_bin; exec "$PG_BIN/psql" "postgres://$(urlenc "$PG_USER"):$(urlenc "$PG_PASSWORD")@127.0.0.1:$PG_PORT/$(urlenc "$PG_DATABASE")" "$@" ;;
    redis-cli) exec redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@" ;;
    rabbitmqctl) rmq_env "$MQ_BIN_DIR/rabbitmqctl" -n "$MQ_NODE" "$@" ;;
    -h | --help | help) usage ;;
    *) usage ;;
  esac
}

main "$@"
