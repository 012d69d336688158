#!/usr/bin/env bash
# `npm start`: installs what running needs (not the test suite's Chromium, Docker
# and PostgreSQL: install-system-deps.sh start), builds and packages the extension, sets
# up the demo project and opens VS Code on it with the extension installed:
# desktop VS Code when `code` is on PATH, otherwise code-server in the browser.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
demo="$repo/examples/multisite-demo"
tools="${MULTISITE_LOCAL_TOOLS:-$HOME/.cache/multisite-local-tools}"

bash scripts/install-system-deps.sh start
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent package >/dev/null
vsix="$repo/dist/django-multisite-local.vsix"
sh "$demo/setup-demo.sh" "$demo"

# Leave nothing running behind us: the demo's server stops with this script.
stop_demo() { node "$repo/dist/cli.js" stop --project "$demo" >/dev/null 2>&1 || true; }

if command -v code >/dev/null 2>&1 && [ -z "${MULTISITE_LOCAL_USE_CODE_SERVER:-}" ]; then
	code --install-extension "$vsix" --force
	code "$demo"
	echo "Opened VS Code on $demo: open the Multi-Site view in the activity bar and click a site."
	exit 0
fi

profile="$tools/demo-profile"
mkdir -p "$profile/data/User"
[ -f "$profile/data/User/settings.json" ] || cat >"$profile/data/User/settings.json" <<'JSON'
{
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off"
}
JSON
code_server="$tools/code-server/node_modules/.bin/code-server"
args=(--auth none --disable-telemetry --disable-update-check --user-data-dir "$profile/data" --extensions-dir "$profile/extensions")
"$code_server" "${args[@]}" --install-extension "$vsix" --force >/dev/null
port="${MULTISITE_LOCAL_START_PORT:-8080}"
trap stop_demo EXIT
echo
echo "Open http://127.0.0.1:$port/?folder=$demo"
echo "Then click the Multi-Site icon in the activity bar and click a site. Ctrl+C stops everything."
echo
"$code_server" "${args[@]}" --bind-addr "127.0.0.1:$port" "$demo"
