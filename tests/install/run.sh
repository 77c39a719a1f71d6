#!/usr/bin/env bash
# Post-install consumer test (PROJ test/postinstall idea):
#  1. cmake --install into a scratch prefix;
#  2. a C program built with find_package(carbonmrv) and run;
#  3. the same program built with pkg-config and run;
#  4. the cmake-installed Python package imported by /usr/bin/python3;
#  5. pip install --no-build-isolation of the source tree into a venv, then imported.
set -euo pipefail
src=$(cd "$1" && pwd) build=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
python=/usr/bin/python3

cmake --install "$build" --prefix "$prefix" > "$work/install.log"
test -f "$prefix/include/carbonmrv.h" && test -f "$prefix/include/carbonmrv_version.h"
soname=$(readelf -d "$prefix"/lib/libcarbonmrv.so | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
echo "installed $soname"

cmake -S "$src/tests/install" -B "$work/cmake-consumer" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" > "$work/cfg.log"
cmake --build "$work/cmake-consumer" > "$work/build.log"
"$work/cmake-consumer/consumer"

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
test "$(pkg-config --modversion carbonmrv)" = "$(cat "$src/VERSION")"
# shellcheck disable=SC2046
cc -std=c99 -Wall -Werror "$src/tests/install/consumer.c" -o "$work/pc-consumer" \
   $(pkg-config --cflags --libs carbonmrv) -lm -Wl,-rpath,"$prefix/lib"
"$work/pc-consumer"

PYTHONPATH=$prefix/lib/python3/dist-packages $python -c \
  "import carbonmrv; assert carbonmrv.convert(1, 'tce', 'GJ') == 29.3076; print('cmake-installed python', carbonmrv.__version__)"

if [ "${CMRV_SKIP_PIP:-0}" != 1 ]; then
  $python -m venv --system-site-packages "$work/venv"
  # Copy the tree so the in-tree pip build leaves the checkout clean.
  mkdir "$work/src"
  tar -C "$src" --exclude='./build*' --exclude='./.pybuild' --exclude='./.git' -cf - . | tar -C "$work/src" -xf -
  CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2} \
    "$work/venv/bin/python" -m pip install --no-build-isolation --no-deps --no-index -q "$work/src" \
    > "$work/pip.log" 2>&1 || { tail -40 "$work/pip.log"; exit 1; }
  (cd "$work" && "$work/venv/bin/python" -c \
    "import carbonmrv, numpy; assert carbonmrv.__file__.startswith('$work/venv'), carbonmrv.__file__; \
assert carbonmrv.convert(numpy.array([1.0]), 'tce', 'GJ')[0] == 29.3076; print('pip-installed python', carbonmrv.__version__)")
fi
echo "install: 5 passed, 0 failed"
