#!/usr/bin/env bash
# Installs every Debian 12 package carbonmrv needs to build, test, benchmark and package.
# Idempotent: only missing packages are installed. There is no PyPI here; everything comes from apt.
set -euo pipefail

PKGS=(
  # toolchain
  g++ cmake ninja-build pkg-config git binutils
  # C++ dependencies
  libabsl-dev libmsgsl-dev nlohmann-json3-dev libcli11-dev catch2 libbenchmark-dev
  # the registry's backends: SQLite (embedded) and PostgreSQL (client library; the server runs the
  # PostgreSQL half of the registry suite in a throw-away cluster, scripts/pg-cluster.sh)
  libsqlite3-dev libpq-dev postgresql
  # policy evaluation's linear algebra (header-only)
  libeigen3-dev
  # Python layer
  python3 python3-dev python3-pybind11 pybind11-dev python3-numpy python3-pandas python3-pytest
  python3-setuptools python3-pip python3-wheel python3-jsonschema python3-dask python3-distributed python3-mypy
  python3-matplotlib
  # analyst experience: Chinese glyphs in plots (WenQuanYi Micro Hei), the executed notebook, the report's
  # headless-browser test
  fonts-wqy-microhei python3-nbclient python3-nbformat python3-ipykernel chromium python3-openpyxl
  # progress bars (carbonmrv.batch progress=True)
  python3-tqdm
  # reliability checks (docs/reliability.md): libFuzzer targets, the stored ABI baseline, coverage
  clang-14 libclang-rt-14-dev abigail-tools gcovr clang-format-14 clang-tidy-14
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PKGS[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
