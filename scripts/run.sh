#!/usr/bin/env bash
# Install what is needed and start the dashboard on the shipped data (http://localhost:8501).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m qpv build
exec .venv/bin/streamlit run dashboard.py --server.headless true "$@"
