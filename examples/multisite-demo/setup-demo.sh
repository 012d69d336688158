#!/usr/bin/env sh
# Creates a project's virtualenv (seeing the system's Django) and its database.
# Usage: sh setup-demo.sh [PROJECT_DIR]   (default: this script's folder)
set -eu
dir=${1:-$(dirname "$0")}
cd "$dir"
if [ ! -x .venv/bin/python ]; then
	/usr/bin/python3 -m venv --system-site-packages .venv
fi
.venv/bin/python -c 'import django' 2>/dev/null || {
	echo "Django is not importable from .venv: install it (Debian: apt-get install python3-django)." >&2
	exit 1
}
.venv/bin/python manage.py migrate --noinput -v 0
echo "Ready: $(pwd)"
