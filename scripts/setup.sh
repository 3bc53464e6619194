#!/usr/bin/env bash
# Installs the machine-level tools SmallPay's commands need. Idempotent.
set -euo pipefail
need_python_moto() { python3 -c 'import moto, flask' 2>/dev/null; }
if ! need_python_moto; then
  echo "setup: installing moto server" >&2
  pip install --quiet "moto[server]"
fi
