#!/usr/bin/env bash
# Serve the dashboard with N Streamlit processes behind Caddy (sticky sessions, health checks).
#   bash scripts/serve.sh [N] [PORT]      default: 2 processes, http://127.0.0.1:8080
# Environment: QPV_BIND (address listened on, default 127.0.0.1; 0.0.0.0 opens it to the network),
# QPV_SITE (Caddy site address, default http://:PORT; a domain name turns on HTTPS),
# QPV_BACKEND_PORTS (ports of the processes, default 8601, 8602, …), and every QPV_* setting of the README.
# Ctrl-C (or SIGTERM) stops the proxy and every process it started.
set -euo pipefail
cd "$(dirname "$0")/.."
workers="${1:-2}"
port="${2:-8080}"
if ! [[ "$workers" =~ ^[1-9][0-9]*$ && "$port" =~ ^[0-9]+$ ]]; then
  echo "Usage : bash scripts/serve.sh [NOMBRE_DE_PROCESSUS] [PORT]" >&2
  exit 2
fi
if ! command -v caddy >/dev/null 2>&1; then
  sudo_cmd=""
  [ "$(id -u)" = "0" ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq caddy >/dev/null
fi
bash scripts/setup.sh
# Build the store once, before the processes start, when it is absent or older than its files.
if .venv/bin/python -c "import sys; from qpv.store.build import is_stale; sys.exit(0 if is_stale() else 1)"; then
  .venv/bin/python -m qpv build
fi

read -r -a backend_ports <<< "${QPV_BACKEND_PORTS:-$(seq -s ' ' 8601 $((8600 + workers)))}"
if [ "${#backend_ports[@]}" -ne "$workers" ]; then
  echo "QPV_BACKEND_PORTS doit donner $workers ports." >&2
  exit 2
fi
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/qpv-serve.XXXXXX")"
# One cookie secret for every process, so that a session moved to another process keeps its cookies valid.
cookie_secret="$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(32))')"
healthy() {  # does the Streamlit process on port $1 answer its health check?
  .venv/bin/python -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" \
    "http://127.0.0.1:$1/_stcore/health" >/dev/null 2>&1
}
pids=()
stop_all() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${QPV_KEEP_LOGS:-}" ] || rm -rf "$run_dir"
}
trap stop_all EXIT INT TERM

supervise() {  # run one Streamlit process on port $1; start it again if it stops
  local backend_port="$1" child=""
  trap '[ -n "$child" ] && kill "$child" 2>/dev/null; wait 2>/dev/null; exit 0' TERM INT
  while true; do
    STREAMLIT_SERVER_COOKIE_SECRET="$cookie_secret" .venv/bin/python -m streamlit run dashboard.py \
      --server.port "$backend_port" --server.address 127.0.0.1 --server.headless true &
    child="$!"
    wait "$child" || true
    echo "$(date '+%F %T') processus du port $backend_port arrêté : redémarrage dans 2 s" >&2
    sleep 2
  done
}

for backend_port in "${backend_ports[@]}" "$port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$backend_port") 2>/dev/null; then
    echo "Le port $backend_port est déjà utilisé : choisir un autre PORT ou QPV_BACKEND_PORTS." >&2
    exit 1
  fi
done

upstreams=""
for backend_port in "${backend_ports[@]}"; do
  supervise "$backend_port" >"$run_dir/streamlit-$backend_port.log" 2>&1 &
  pids+=("$!")
  upstreams="$upstreams 127.0.0.1:$backend_port"
done
for backend_port in "${backend_ports[@]}"; do
  for _ in $(seq 1 120); do
    healthy "$backend_port" && break
    sleep 0.5
  done
  healthy "$backend_port" || {
    echo "Le processus du port $backend_port ne répond pas : voir $run_dir/streamlit-$backend_port.log" >&2
    exit 1
  }
done

export QPV_SITE="${QPV_SITE:-http://:$port}" QPV_BIND="${QPV_BIND:-127.0.0.1}" QPV_UPSTREAMS="$upstreams"
export QPV_COOKIE_SECRET="$cookie_secret" XDG_DATA_HOME="${XDG_DATA_HOME:-$run_dir}" \
  XDG_CONFIG_HOME="${XDG_CONFIG_HOME:-$run_dir}"
caddy run --config deploy/Caddyfile --adapter caddyfile >"$run_dir/caddy.log" 2>&1 &
caddy_pid="$!"
pids+=("$caddy_pid")
echo "Tableau de bord : http://$QPV_BIND:$port ($workers processus Streamlit derrière Caddy ;" \
  "journaux dans $run_dir). Ctrl-C pour arrêter."
wait "$caddy_pid" || true
echo "Caddy s'est arrêté : voir $run_dir/caddy.log" >&2
exit 1
