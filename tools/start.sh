#!/usr/bin/env bash
# `npm start`: installs what is missing, brings up PostgreSQL, Redis, RabbitMQ and nginx (tools/stack),
# migrates, builds, starts the five apps (WORKERS worker processes) behind the gateway on :8080.
# Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

if [ -f .env ]; then set -a; . ./.env; set +a; fi
export STACK_NAME=${STACK_NAME:-dev}
# a local stack lets you make accounts (the apps' default is closed); .env or the environment win
export AUTH_ALLOW_REGISTRATION=${AUTH_ALLOW_REGISTRATION:-true}
export GATEWAY_PORT=${GATEWAY_PORT:-8080}
# the apps answer on loopback only: the gateway is the one way in (HOST=0.0.0.0 in .env opens them up)
export HOST=${HOST:-127.0.0.1}
WORKERS=${WORKERS:-1}
STACK_DIR=$ROOT/.stack/$STACK_NAME
LOG_DIR=$STACK_DIR/logs
mkdir -p "$LOG_DIR" "$STACK_DIR/gateway"

say() { printf '\033[1m▸ %s\033[0m\n' "$*"; }

say "npm packages"
bash tools/ensure-deps.sh

say "build"
npm run --silent build

say "servers (PostgreSQL, Redis, RabbitMQ, nginx, adb) under .stack/$STACK_NAME"
stack_was_up=false
if bash tools/stack/stack.sh status >/dev/null 2>&1; then stack_was_up=true; fi
AUTH_UPSTREAMS=127.0.0.1:${AUTH_PORT:-8001} RELAY_UPSTREAMS=127.0.0.1:${RELAY_PORT:-8002} \
INSTANCE_MANAGER_UPSTREAMS=127.0.0.1:${INSTANCE_MANAGER_PORT:-8003} ANDROID_BRIDGE_UPSTREAMS=127.0.0.1:${ANDROID_BRIDGE_PORT:-8004} \
WEB_ROOT=$ROOT/dist/web \
  node dist/tools/gateway/render-nginx.js "$STACK_DIR/gateway/ish.conf"
NGINX_SITE_CONF=$STACK_DIR/gateway/ish.conf bash tools/stack/stack.sh up
eval "$(bash tools/stack/stack.sh env)"

say "database migrations"
node dist/tools/db/migrate.js

# local secrets, made once per stack and kept under .stack (never in the repository); env and .env win
secrets_file=$STACK_DIR/secrets.env
if [ ! -s "$secrets_file" ]; then
  node -e '
    const r = (n) => require("crypto").randomBytes(n);
    console.log("JWT_KEYS=local1:" + r(32).toString("base64url"));
    console.log("INSTANCE_KEY_ENCRYPTION_KEY=" + r(32).toString("base64"));
    console.log("ISH_ADMIN_API_KEY=ish_" + r(32).toString("base64url"));' > "$secrets_file"
  chmod 600 "$secrets_file"
fi
while IFS= read -r line; do
  name=${line%%=*}
  value=${line#*=}   # base64 values end in '=': split at the first one only
  [ -n "$name" ] && [ -z "${!name:-}" ] && export "$name=$value"
done < "$secrets_file"

# a local stack's webhook receivers live on this machine; deployments keep the default (off)
export WEBHOOK_ALLOW_PRIVATE_NETWORKS=${WEBHOOK_ALLOW_PRIVATE_NETWORKS:-true}

worker_urls=""
for i in $(seq 1 "$WORKERS"); do worker_urls+="${worker_urls:+|}http://127.0.0.1:$((${WORKER_PORT:-8005} + i - 1))"; done
export HEALTH_TARGETS="auth=http://127.0.0.1:${AUTH_PORT:-8001},relay=http://127.0.0.1:${RELAY_PORT:-8002},instance-manager=http://127.0.0.1:${INSTANCE_MANAGER_PORT:-8003},android-bridge=http://127.0.0.1:${ANDROID_BRIDGE_PORT:-8004},worker=$worker_urls"

pids=()
start_app() { # name port
  PORT=$2 node "dist/apps/$1/src/main.js" >> "$LOG_DIR/$1-$2.log" 2>&1 &
  pids+=($!)
}

stop_all() { # [exit code]
  trap - INT TERM
  say "stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$stack_was_up" = false ]; then bash tools/stack/stack.sh down; fi
  exit "${1:-0}"
}
trap 'stop_all 0' INT TERM

if [ -z "${OPENAI_API_KEY:-}" ]; then
  say "provider simulator on :${PROVIDER_SIM_PORT:-9100} (no OPENAI_API_KEY: replies are simulated)"
  node dist/tools/provider-sim/src/main.js --port "${PROVIDER_SIM_PORT:-9100}" >> "$LOG_DIR/provider-sim.log" 2>&1 &
  pids+=($!)
  export PROVIDER_SIM_URL=http://127.0.0.1:${PROVIDER_SIM_PORT:-9100}/v1
  # the same simulator speaking Anthropic's Messages API and Gemini's API, so every adapter can be tried locally
  for protocol in anthropic gemini; do
    case $protocol in anthropic) port=$((${PROVIDER_SIM_PORT:-9100} + 1)) models=claude-sonnet-4-5,claude-haiku-4-5 ;; gemini) port=$((${PROVIDER_SIM_PORT:-9100} + 2)) models=gemini-2.5-flash,gemini-2.5-pro ;; esac
    node dist/tools/provider-sim/src/main.js --port "$port" --protocol "$protocol" --name "provider-sim-$protocol" --models "$models" --api-key local-simulator >> "$LOG_DIR/provider-sim-$protocol.log" 2>&1 &
    pids+=($!)
  done
  export PROVIDER_SIM_ANTHROPIC_URL=http://127.0.0.1:$((${PROVIDER_SIM_PORT:-9100} + 1))/v1
  export PROVIDER_SIM_GEMINI_URL=http://127.0.0.1:$((${PROVIDER_SIM_PORT:-9100} + 2))/v1
fi

# ANDROID_SIMULATOR=1: simulated phones (tools/adb-device-sim) connected to the stack's adb server
case "${ANDROID_SIMULATOR:-0}" in 1 | true | yes | on) android_simulator=true ;; *) android_simulator=false ;; esac
if [ "$android_simulator" = true ]; then
  sim_count=${ANDROID_SIMULATOR_DEVICES:-2}
  sim_port=${ANDROID_SIMULATOR_PORT:-6101}
  say "$sim_count simulated Android device(s) on :$sim_port… (adb server :$ADB_PORT)"
  node dist/tools/adb-device-sim/src/main.js --count "$sim_count" --port "$sim_port" >> "$LOG_DIR/adb-device-sim.log" 2>&1 &
  pids+=($!)
  for i in $(seq 0 $((sim_count - 1))); do
    for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$((sim_port + i))") 2>/dev/null && break; sleep 0.1; done
    adb -P "$ADB_PORT" connect "127.0.0.1:$((sim_port + i))" || true
  done
fi

say "apps"
start_app auth "${AUTH_PORT:-8001}"
start_app relay "${RELAY_PORT:-8002}"
start_app instance-manager "${INSTANCE_MANAGER_PORT:-8003}"
start_app android-bridge "${ANDROID_BRIDGE_PORT:-8004}"
for i in $(seq 1 "$WORKERS"); do start_app worker $((${WORKER_PORT:-8005} + i - 1)); done

gateway=http://127.0.0.1:$GATEWAY_PORT
curl_gateway=(curl -fsS)
if [ -n "${GATEWAY_TLS_CERT:-}" ]; then
  # GATEWAY_PORT only redirects now; -k: the certificate names the public host, this probe goes to loopback
  gateway=https://127.0.0.1:${GATEWAY_TLS_PORT:-8443}
  curl_gateway=(curl -fsS -k)
fi
for _ in $(seq 1 120); do
  if "${curl_gateway[@]}" "$gateway/api/v1/health" 2>/dev/null | grep -q '"status":"ok"'; then break; fi
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "a process exited while starting; the end of each log:" >&2
      for log in "$LOG_DIR"/*-80*.log; do echo "--- $log" >&2; tail -n 3 "$log" >&2; done
      stop_all 1
    fi
  done
  sleep 1
done
"${curl_gateway[@]}" "$gateway/api/v1/health" || true
echo
# straight to instance-manager (the only API the seed calls): no TLS name check against 127.0.0.1 in the way
GATEWAY_URL=http://127.0.0.1:${INSTANCE_MANAGER_PORT:-8003} node dist/tools/seed-instances.js || true
cat <<INFO

  ISH Chat is up.
    console        $gateway/   (sign in with the admin API key below)
    gateway        $gateway/api/v1/
    health         $gateway/api/v1/health
    API docs       $gateway/api/v1/docs
    admin API key  $ISH_ADMIN_API_KEY
    logs           $LOG_DIR/
    workers        $WORKERS

  Ctrl-C stops everything this command started.
INFO

# watch the apps until Ctrl-C; report one that exits
watched=("${pids[@]}")
while true; do
  still=()
  for pid in "${watched[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then still+=("$pid"); else echo "an app exited (pid $pid); see $LOG_DIR/" >&2; fi
  done
  watched=("${still[@]}")
  sleep 2 & wait $!
done
