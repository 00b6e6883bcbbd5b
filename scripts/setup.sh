#!/usr/bin/env bash
# Installs what cchc needs on a Debian machine: Python venv and packages, LibreOffice and poppler for reports;
# with --test also Chromium (browser tests) and a PostgreSQL server. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "==> Cài gói hệ thống: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

if ! command -v python3 >/dev/null || ! python3 -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
  apt_install python3 python3-venv python3-pip
fi
python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv

# PDF of reports (LibreOffice; Liberation Serif stands in for Times New Roman) and reading PDF reports (poppler).
apt_install libreoffice-writer-nogui fonts-liberation poppler-utils
if [ "$want_test" = 1 ]; then
  apt_install chromium
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> Tạo môi trường Python (.venv)"
  python3 -m venv .venv
fi
stamp=.venv/.cchc-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "==> Cài thư viện Python"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e ".[test]"
  touch "$stamp"
fi
