#!/usr/bin/env bash
# Append random values for the secrets docker-compose.yaml requires to .env (those already set are kept).
set -euo pipefail
cd "$(dirname "$0")/.."
touch .env
chmod 600 .env
add() {  # NAME COMMAND: append NAME=$(COMMAND) unless .env or the environment already sets NAME
    if grep -q "^$1=" .env || [ -n "${!1:-}" ]; then echo "$1: already set, kept"; return; fi
    echo "$1=$(python3 -c "$2")" >> .env
    echo "$1: generated in .env"
}
add AIRFLOW_JWT_SECRET 'import secrets; print(secrets.token_urlsafe(48))'
add AIRFLOW_FERNET_KEY 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())'
add NYENGGET_LINK_SECRET 'import secrets; print(secrets.token_urlsafe(48))'
