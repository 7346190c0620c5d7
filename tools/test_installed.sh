#!/bin/sh
# Test the built package as a user gets it: install the wheel (DIST/*.whl)
# into a fresh virtualenv in a temporary directory outside the checkout,
# and run the test suite and the doctests from the tests/ and examples/ that
# the sdist (DIST/*.tar.gz) holds, so that `import ast_ad` can only find
# the installed package.  Then the console script, as the README shows it.
set -eu
DIST=$(cd "${1:-dist}" && pwd)
PYTHON=${PYTHON:-python3}
WHEEL=$(ls "$DIST"/*.whl)
SDIST=$(ls "$DIST"/*.tar.gz)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ast_ad-installed.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

"$PYTHON" -m venv "$TMP/venv"
PY="$TMP/venv/bin/python"
"$PY" -m pip install -q --upgrade pip
"$PY" -m pip install -q "$WHEEL[dev]"

mkdir "$TMP/sdist" "$TMP/run"
tar -xzf "$SDIST" -C "$TMP/sdist"
SRC=$(ls -d "$TMP"/sdist/*/)
# what the tests read: the tests, the examples, the README, the benchmarks
# and the pytest settings; not the package itself
cp -R "$SRC/tests" "$SRC/examples" "$SRC/benchmarks" "$SRC/README.md" "$SRC/pyproject.toml" \
    "$TMP/run/"
cd "$TMP/run"
test ! -e ast_ad
"$PY" - "$TMP/venv" <<'PY'
import os, sys
import ast_ad
where = os.path.realpath(ast_ad.__file__)
assert where.startswith(os.path.realpath(sys.argv[1])), f"ast_ad imported from {where}"
print(f"ast_ad {ast_ad.__version__} from {where}")
PY
"$PY" -W error -c "import ast_ad"
"$PY" -m pytest -q -p no:cacheprovider tests --pyargs ast_ad
"$TMP/venv/bin/ast-ad" check examples/baydin.py:f 2 5
