#!/usr/bin/env bash
# `make up`: Airflow locally on the embedded default — api-server (with the Nyengget review page),
# scheduler and dag-processor — until Ctrl-C. Dev users and passwords are printed below.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO="$(pwd)"
PY="$REPO/.venv/bin/python"
AIRFLOW="$REPO/.venv/bin/airflow"
export NYENGGET_HOME="${NYENGGET_HOME:-$REPO/.local}"
PORT="${NYENGGET_PORT:-8080}"

# Same Airflow settings as `make run` (nyengget.orchestration.local.configure); what you already set wins.
eval "$("$PY" - <<'EOF'
import shlex
from nyengget.orchestration.local import configure
for key, value in configure().items():
    print(f"export {key}={shlex.quote(value)}")
EOF
)"

LOGS="$NYENGGET_HOME/logs"
mkdir -p "$LOGS" "$AIRFLOW_HOME"
PASSWORDS="$AIRFLOW_HOME/simple_auth_manager_passwords.json"
JWT_FILE="$AIRFLOW_HOME/.jwt_secret"
[ -s "$JWT_FILE" ] || "$PY" -c 'import secrets; print(secrets.token_urlsafe(32))' > "$JWT_FILE"
[ -s "$PASSWORDS" ] || echo '{"admin": "admin", "perencana": "perencana", "dinkes": "dinkes", "dlh": "dlh"}' > "$PASSWORDS"

export AIRFLOW__CORE__AUTH_MANAGER="${AIRFLOW__CORE__AUTH_MANAGER:-airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager}"
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="${AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS:-admin:admin,perencana:user,dinkes:viewer,dlh:viewer}"
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE="${AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE:-$PASSWORDS}"
export AIRFLOW__API_AUTH__JWT_SECRET="${AIRFLOW__API_AUTH__JWT_SECRET:-$(cat "$JWT_FILE")}"
export AIRFLOW__CORE__EXECUTOR="${AIRFLOW__CORE__EXECUTOR:-LocalExecutor}"
export AIRFLOW__API__BASE_URL="${AIRFLOW__API__BASE_URL:-http://localhost:$PORT}"
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="${AIRFLOW__CORE__EXECUTION_API_SERVER_URL:-http://localhost:$PORT/execution/}"
export NYENGGET_PUBLIC_URL="${NYENGGET_PUBLIC_URL:-http://localhost:$PORT/nyengget}"
export NYENGGET_USERS_FILE="${NYENGGET_USERS_FILE:-$REPO/include/nyengget/review/users.example.yaml}"
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="${AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION:-True}"
# Sources: the recorded week, served on 127.0.0.1, unless NYENGGET_SOURCES_BASE_URL is set. Setting it
# empty on purpose (NYENGGET_SOURCES_BASE_URL=) fetches the real ministry sites.
REPLAY_WEEK="${NYENGGET_REPLAY_WEEK:-2026-W48}"
if [ -z "${NYENGGET_SOURCES_BASE_URL+set}" ]; then
    REPLAY_PORT="${NYENGGET_REPLAY_PORT:-8799}"
    export NYENGGET_SOURCES_BASE_URL="http://127.0.0.1:$REPLAY_PORT"
    SOURCES_NOTE="recorded week $REPLAY_WEEK served at $NYENGGET_SOURCES_BASE_URL (set NYENGGET_SOURCES_BASE_URL= to fetch the real sites)"
elif [ -z "$NYENGGET_SOURCES_BASE_URL" ]; then
    SOURCES_NOTE="the REAL sites (NYENGGET_SOURCES_BASE_URL is empty): unpausing nyengget_programmes fetches them"
else
    SOURCES_NOTE="$NYENGGET_SOURCES_BASE_URL"
fi

echo "==> migrating Airflow metadata ($AIRFLOW__DATABASE__SQL_ALCHEMY_CONN) and the warehouse"
"$AIRFLOW" db migrate > "$LOGS/db-migrate.log" 2>&1 || { tail -20 "$LOGS/db-migrate.log"; exit 1; }
"$PY" -c 'from nyengget.warehouse.db import get_engine; get_engine()'
"$REPO/.venv/bin/nyengget" airflow pools --apply   # one pool per source host, or ingest tasks never run

PIDS=()
stop() {
    trap - INT TERM EXIT
    echo
    echo "==> stopping Airflow (pids ${PIDS[*]:-none})"
    for pid in "${PIDS[@]}"; do kill -TERM "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap 'stop; exit 130' INT TERM
trap stop EXIT

start() {  # start NAME COMMAND ARGS...: one component in its own process group, logging to $LOGS/NAME.log
    local name="$1"; shift
    setsid "$@" > "$LOGS/$name.log" 2>&1 &
    PIDS+=("$!")
    echo "    $name (pid $!): log $LOGS/$name.log"
}

echo "==> starting Airflow"
if [ -n "${REPLAY_PORT:-}" ]; then
    start replay "$REPO/.venv/bin/nyengget" sources serve --week "$REPLAY_WEEK" --host 127.0.0.1 --port "$REPLAY_PORT"
fi
start api-server "$AIRFLOW" api-server --host "${NYENGGET_HOST:-127.0.0.1}" --port "$PORT"
# LocalExecutor writes task logs to this machine's disk, where the api-server reads them: no log server
# (it would listen on every interface, port 8793).
start scheduler "$AIRFLOW" scheduler --skip-serve-logs
start dag-processor "$AIRFLOW" dag-processor

for _ in $(seq 1 90); do
    curl -fsS "http://127.0.0.1:$PORT/api/v2/monitor/health" > /dev/null 2>&1 && break
    sleep 1
done

cat <<EOF

  Airflow UI          http://localhost:$PORT/
  Nyengget (telaah)   http://localhost:$PORT/nyengget/   (also under "Browse" → Nyengget in Airflow)
  JSON API            http://localhost:$PORT/nyengget/api/weekly?week=2026-W48

  Dev logins (passwords in $AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE):
$("$PY" -c 'import json,sys; [print(f"    {u:<10} / {p:<12}") for u, p in json.load(open(sys.argv[1])).items()]' "$AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE")
  Page scopes (Bappeda or one OPD) come from $NYENGGET_USERS_FILE.
  No weekly list yet? Run \`make run\` once (it fills the warehouse for 2026-W47 and 2026-W48).

  Sources: $SOURCES_NOTE
  The DAGs start paused. To run a week through Airflow: unpause the five nyengget_* DAGs, then trigger
  nyengget_innovations and nyengget_programmes with the week, e.g.
      $AIRFLOW dags trigger nyengget_innovations -c '{"week": "$REPLAY_WEEK"}'
      $AIRFLOW dags trigger nyengget_programmes  -c '{"week": "$REPLAY_WEEK"}'
  Matching and the weekly list follow by themselves once both are in (asset events); the weekly list
  runs by the clock only as the Monday 09:00 WIB deadline check. Times in the UI follow your browser's
  time zone (Airflow 3: User → Timezone); schedules are in Asia/Jakarta.

  Logs under $LOGS — press Ctrl-C to stop everything.
EOF
wait -n "${PIDS[@]}" || true
echo "==> an Airflow component exited; see $LOGS" >&2
