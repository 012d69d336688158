#!/usr/bin/env bash
# Installs what the product needs on a Debian machine, in two sets:
#   install-system-deps.sh start   what running needs (`npm start`): Django and venv for the demo
#                                  project, and code-server (real VS Code in the browser, in a
#                                  cache folder outside the project) unless desktop VS Code's
#                                  `code` is on PATH (and MULTISITE_LOCAL_USE_CODE_SERVER is unset);
#   install-system-deps.sh [all]   that and what the tests need (`npm run test:all`, .ci/run):
#                                  PostgreSQL and Django's driver for it for the shared-database
#                                  tests, Chromium for the UI tests, Docker Engine for the compose
#                                  runner, code-server always.
# Safe to run again: every step is skipped when its result is already there.
set -euo pipefail

TOOLS_DIR="${MULTISITE_LOCAL_TOOLS:-$HOME/.cache/multisite-local-tools}"
CODE_SERVER_VERSION=4.100.3 # 4.96.x pulls a git dependency; 4.103+ needs Node 22
set_name="${1:-all}"
case "$set_name" in
start | all) ;;
*)
	echo "Usage: install-system-deps.sh [start|all]" >&2
	exit 2
	;;
esac

# The demo project's virtualenv sees the system's Django (setup-demo.sh).
RUN_PACKAGES=(python3-django python3-venv)
# code-server's native modules build against these; its search needs ripgrep.
CODE_SERVER_PACKAGES=(ripgrep pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev)
# python3-daphne + python3-django-channels: an ASGI runserver, for WebSockets through the local proxy.
# docker.io + docker-compose: the Docker Engine and compose v1 the compose runner is tested against.
# unzip: the package test reads the .vsix it checks.
# python3-psycopg2: Django's PostgreSQL driver, for projects sharing a PostgreSQL database.
# python3-django-treebeard: the page tree the Wagtail stand-in (test/fixtures/frameworks/wagtail) builds on, as Wagtail does.
# python3-debugpy: the debugger Debug Site runs a site's server under (issue 24).
TEST_PACKAGES=(python3-daphne python3-django-channels python3-psycopg2 python3-django-treebeard python3-debugpy chromium docker.io docker-compose unzip)

needs_code_server() {
	[ "$set_name" = all ] || ! command -v code >/dev/null 2>&1 || [ -n "${MULTISITE_LOCAL_USE_CODE_SERVER:-}" ]
}

APT_PACKAGES=("${RUN_PACKAGES[@]}")
if needs_code_server; then APT_PACKAGES+=("${CODE_SERVER_PACKAGES[@]}"); fi
if [ "$set_name" = all ]; then APT_PACKAGES+=("${TEST_PACKAGES[@]}"); fi

# postgresql: server binaries for the tests' private servers (test/support/postgresBinaries.ts looks in
# the same places), only when the machine has none: some images ship them in /usr/local/bin.
has_postgres_server() {
	local dir
	for dir in /usr/local/bin /usr/lib/postgresql/*/bin; do
		[ -x "$dir/initdb" ] && [ -x "$dir/postgres" ] && return 0
	done
	return 1
}
if [ "$set_name" = all ] && ! has_postgres_server; then APT_PACKAGES+=(postgresql); fi

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${APT_PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "Installing Debian packages: ${missing[*]}"
	sudo_if_needed apt-get update -qq
	sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

code_server="$TOOLS_DIR/code-server/node_modules/.bin/code-server"
if needs_code_server && [ ! -x "$code_server" ]; then
	echo "Installing code-server $CODE_SERVER_VERSION into $TOOLS_DIR (about a minute)"
	# code-server's install step downloads ripgrep; seed its cache with Debian's instead.
	rg_cache=/tmp/vscode-ripgrep-cache-1.15.11
	rg_tar="$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
	if [ ! -f "$rg_tar" ]; then
		mkdir -p "$rg_cache"
		staging=$(mktemp -d)
		cp /usr/bin/rg "$staging/"
		tar -czf "$rg_tar" -C "$staging" rg
		rm -rf "$staging"
	fi
	# code-server's postinstall refuses to run unless npm says unsafe-perm (npm 11 dropped the flag,
	# not the variable), and its native modules call `npx node-gyp`, which must not stop to ask.
	mkdir -p "$TOOLS_DIR/code-server"
	(cd "$TOOLS_DIR/code-server" && { [ -f package.json ] || echo '{"private":true}' >package.json; } &&
		npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >/dev/null)
fi
if needs_code_server; then
	echo "System dependencies for $set_name ready (code-server: $code_server)"
else
	echo "System dependencies for $set_name ready (desktop VS Code: $(command -v code))"
fi
