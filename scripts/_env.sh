# Shared by scripts/serve and scripts/test: find Python 3.11+, make .venv, install.
# Usage: . scripts/_env.sh requirements.txt
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

find_python() {
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  echo "Python 3.11 or newer is required." >&2
  exit 1
}

requirements=${1:-requirements.txt}
stamp=.venv/.installed-$(basename "$requirements")
if [ ! -x .venv/bin/python ]; then
  "$(find_python)" -m venv .venv
fi
# Reinstall only when the pinned requirements changed since the last install.
if [ ! -f "$stamp" ] || [ requirements.txt -nt "$stamp" ] || [ "$requirements" -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  touch "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
