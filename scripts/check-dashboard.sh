#!/usr/bin/env bash
# Checks the PromQL of every panel of the Grafana dashboards (infra/grafana/dashboards/*.json) with promtool: each
# expression becomes a recording rule in a throwaway rule file, which `promtool check rules` parses.
# Usage: scripts/check-dashboard.sh PROMTOOL
set -euo pipefail
promtool=${1:?usage: $0 PROMTOOL}
cd "$(dirname "$0")/.."
rules=$(mktemp --suffix=.yml)
trap 'rm -f "$rules"' EXIT
{
  echo "groups:"
  echo "  - name: dashboard-expressions"
  echo "    rules:"
  n=0
  # The dashboards are written one key a line ("expr": "..."), JSON-escaped: unescape the quotes, and quote for YAML.
  while IFS= read -r expr; do
    n=$((n + 1))
    expr=${expr//\\\"/\"}
    printf "      - record: dashboard:expr_%d\n        expr: '%s'\n" "$n" "${expr//\'/\'\'}"
  done < <(sed -n 's/^ *"expr": "\(.*\)",\{0,1\}$/\1/p' infra/grafana/dashboards/*.json)
  [[ $n -gt 0 ]] || { echo "no expressions found in infra/grafana/dashboards" >&2; exit 1; }
} >"$rules"
"$promtool" check rules "$rules"
