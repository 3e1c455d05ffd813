#!/usr/bin/env bash
# GridWatch developer entry point: every command sets up what is missing first (Debian/Ubuntu
# packages Qt needs, a CJK font, the virtual environment and the package), then runs.
#
#   ./dev.sh console [gridwatch args]   open the console (the demo district on first run)
#   ./dev.sh test [pytest args]         run the whole test suite (offscreen)
#   ./dev.sh bench                      run the benchmarks (figures, not pass/fail)
#   ./dev.sh gridwatch ARGS...          any gridwatch command (demo, screenshot, ...)
#   ./dev.sh screenshots                the README's screenshots of the dispatcher's screen, drawn again
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"
venv="${GRIDWATCH_VENV:-$here/.venv}"

say() { printf '[dev.sh] %s\n' "$*" >&2; }

# Qt 6 offscreen needs these; a real X display needs the xcb ones too; without a CJK font every
# Chinese label renders as boxes. python3-venv because Debian's python3 ships without ensurepip.
apt_packages=(libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3 libglib2.0-0
              libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 fonts-wqy-microhei)

ensure_system_packages() {
  command -v dpkg-query >/dev/null 2>&1 || { say "not a Debian/Ubuntu system: install the Qt runtime libraries and a CJK font yourself"; return 0; }
  local missing=()
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    missing+=("python3-venv")
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      say "missing system packages: ${missing[*]} (install them as root: apt-get install ${missing[*]})"; return 0; fi
  fi
  say "installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Optional Debian packages the tests use where we may install them; without one, its tests skip saying why.
#   python3-qgis (about 1 GB): the QGIS side (project export, planner plugin), tested in QGIS's own Python;
#     GRIDWATCH_SKIP_QGIS=1 skips it.
#   python3-gdal: GDAL's GeoPackage conformance checker (validate_gpkg.py), run on the stores we write.
ensure_optional() {  # ensure_optional "what it is for" package...
  local what="$1"; shift
  command -v dpkg-query >/dev/null 2>&1 || return 0
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && sudo="sudo" || { say "$1 not installed: the $what tests will skip"; return 0; }
  fi
  say "installing $* for the $what tests"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null || say "$1 could not be installed: the $what tests will skip"
}

ensure_qgis() {
  [ "${GRIDWATCH_SKIP_QGIS:-0}" = "1" ] && return 0
  ensure_optional "QGIS-side (about 1 GB, once)" python3-qgis qgis-providers
}

ensure_gdal_validator() {
  ensure_optional "GeoPackage validator" python3-gdal
}

# Office mode's tests need a PostgreSQL server with PostGIS. Order: $GRIDWATCH_TEST_PG if set; else the local
# server on 127.0.0.1:5432 if it answers (PostGIS installed for its major version); else a throwaway cluster
# of our own in a temporary folder, started as a non-root user (initdb refuses root) and stopped at the end.
# Without any of these the PostgreSQL tests skip, saying why.
pg_tmp=""
stop_own_postgres() {
  [ -n "$pg_tmp" ] || return 0
  local bin; bin=$(cat "$pg_tmp/bin")
  $pg_as "$bin/pg_ctl" -D "$pg_tmp/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pg_tmp"
}

pg_major_of_server() {  # the major version of the server at 127.0.0.1:5432, or nothing
  command -v psql >/dev/null 2>&1 || return 0
  local num; num=$(psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atc 'show server_version_num' 2>/dev/null) || return 0
  [ -n "$num" ] && echo $((num / 10000))
}

ensure_postgres() {
  if [ -n "${GRIDWATCH_TEST_PG:-}" ]; then say "PostgreSQL tests use \$GRIDWATCH_TEST_PG"; return 0; fi
  local major; major=$(pg_major_of_server)
  if [ -n "$major" ]; then
    ensure_optional "PostgreSQL (PostGIS for server $major)" "postgresql-$major-postgis-3"
    export GRIDWATCH_TEST_PG="postgresql://postgres@127.0.0.1:5432/postgres"
    return 0
  fi
  local initdb; initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)
  if [ -z "$initdb" ]; then
    ensure_optional "PostgreSQL (a throwaway server)" postgresql postgis
    initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)
  fi
  [ -n "$initdb" ] || { say "no PostgreSQL server and none installable: the PostgreSQL tests will skip"; return 0; }
  local bin; bin=$(dirname "$initdb"); major=$(basename "$(dirname "$bin")")
  ensure_optional "PostgreSQL (PostGIS for $major)" "postgresql-$major-postgis-3"
  pg_tmp=$(mktemp -d /tmp/gridwatch-pg.XXXXXX); echo "$bin" >"$pg_tmp/bin"
  pg_as=""
  if [ "$(id -u)" -eq 0 ]; then
    local user=postgres; id "$user" >/dev/null 2>&1 || user=nobody
    chown "$user" "$pg_tmp"; pg_as="runuser -u $user --"
  fi
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  say "starting a throwaway PostgreSQL $major on 127.0.0.1:$port for the tests"
  $pg_as "$bin/initdb" -D "$pg_tmp/data" -U postgres -A trust -E UTF8 --no-locale >"$pg_tmp/initdb.log" 2>&1 \
    || { cat "$pg_tmp/initdb.log" >&2; say "initdb failed: the PostgreSQL tests will skip"; return 0; }
  $pg_as "$bin/pg_ctl" -D "$pg_tmp/data" -l "$pg_tmp/server.log" -w \
    -o "-p $port -k $pg_tmp -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
    || { cat "$pg_tmp/server.log" >&2; say "the throwaway server did not start: the PostgreSQL tests will skip"; return 0; }
  export GRIDWATCH_TEST_PG="postgresql://postgres@127.0.0.1:$port/postgres"
}

ensure_venv() {
  local stamp="$venv/.gridwatch-installed"
  if [ ! -x "$venv/bin/python" ]; then
    say "creating virtual environment in $venv"
    python3 -m venv "$venv"
  fi
  # Reinstall when setup.cfg changed since the last install (new dependency, new entry point).
  if [ ! -f "$stamp" ] || [ setup.cfg -nt "$stamp" ]; then
    say "installing GridWatch and its dependencies into $venv"
    local log="$venv/pip-install.log"
    if ! { "$venv/bin/python" -m pip install -q --upgrade pip && "$venv/bin/python" -m pip install -q -e ".[test]"; } >"$log" 2>&1; then
      cat "$log" >&2; say "installing the package failed (log: $log)"; exit 1
    fi
    touch "$stamp"
  fi
}

cmd="${1:-console}"; shift || true
ensure_system_packages
ensure_venv
export PATH="$venv/bin:$PATH"

case "$cmd" in
  console)
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
      say "no display: opening the console under a virtual X server would show nobody anything."
      say "Run it on a desktop, or render it: ./dev.sh gridwatch screenshot --out gridwatch.png"
      exit 2
    fi
    exec gridwatch "$@" ;;
  test)
    ensure_qgis
    ensure_gdal_validator
    ensure_postgres
    export QT_QPA_PLATFORM=offscreen
    trap stop_own_postgres EXIT
    python -m pytest "$@" ;;
  bench)
    ensure_qgis
    ensure_postgres
    trap stop_own_postgres EXIT
    export QT_QPA_PLATFORM=offscreen
    python -m tests.benchmarks "$@" ;;
  gridwatch)
    exec gridwatch "$@" ;;
  screenshots)  # the README's screenshots, drawn again from the tests' demo district
    export QT_QPA_PLATFORM=offscreen
    exec python docs/make_screenshots.py ;;
  *)
    say "unknown command '$cmd' (console, test, bench, gridwatch, screenshots)"; exit 2 ;;
esac
