#!/usr/bin/env bash
# make wheel-check: install register as users do — a wheel built from this checkout, in a fresh
# venv — and run every command on the sample from an unrelated folder. Each output must be
# byte-identical to the editable checkout's. CI runs this after the tests.
set -euo pipefail
DEV=${1:?usage: wheel-check.sh DEV_VENV}
DEV=$(cd "$DEV" && pwd)
ROOT=$(pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
AS_OF=2026-11-21

echo "wheel-check: building the wheel"
"$DEV/bin/python" -m build --wheel --outdir "$WORK/dist" "$ROOT" >"$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log"; echo "wheel-check: the wheel did not build" >&2; exit 1; }
WHEEL=$(ls "$WORK"/dist/*.whl)
echo "wheel-check: installing $(basename "$WHEEL") into a fresh venv"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$WHEEL" \
  >"$WORK/pip.log" 2>&1 || { cat "$WORK/pip.log"; echo "wheel-check: pip could not install the wheel" >&2; exit 1; }

# The wheel holds the package and nothing else: no top-level schemas/ or tests/.
"$WORK/venv/bin/python" - "$WHEEL" "$ROOT" <<'PY'
import pathlib, sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
root = pathlib.Path(sys.argv[2])
shipped = [p.relative_to(root).as_posix() for d in ("register/schemas", "register/report/templates",
                                                   "register/incident", "register/publish/templates")
           for p in (root / d).rglob("*") if p.is_file() and p.suffix != ".pyc"]
missing = [p for p in shipped if p not in names]
assert not missing, f"the wheel lacks package data: {missing}"
tops = {n.split("/")[0] for n in names}
stray = sorted(t for t in tops if t != "register" and not t.endswith(".dist-info"))
assert not stray, f"the wheel holds more than the package: {stray}"
for needed in ("register/schemas/provisions.schema.json",
               "register/schemas/output/records.schema.json",
               "register/report/templates/report.html.j2",
               "register/incident/holidays.json",
               "register/publish/templates/publish.html.j2"):
    assert needed in names, f"the wheel lacks {needed}"
PY

# Run from an unrelated folder holding only a copy of the sample.
mkdir -p "$WORK/user"
cp -r "$ROOT/sample_data" "$WORK/user/sample_data"
cd "$WORK/user"
run_all() {  # $1: the register command; $2: the output folder
  local reg=$1 out=$2
  mkdir -p "$out"
  "$reg" rules --format json >"$out/rules.json"
  "$reg" rules --lang ja >"$out/rules_ja.txt"
  set +e
  "$reg" check sample_data/register.xlsx --as-of "$AS_OF" --format json >"$out/check.json"
  local rc=$?
  set -e
  [ "$rc" -le 1 ] || { echo "wheel-check: check failed ($rc)" >&2; exit 1; }
  "$reg" records sample_data/register.xlsx --out "$out/records" --format csv --as-of "$AS_OF" >/dev/null
  "$reg" records sample_data/register.json --out "$out/records_xlsx" --format xlsx --as-of "$AS_OF" --lang ja >/dev/null
  "$reg" report sample_data/register.xlsx --out "$out/report.html" --as-of "$AS_OF" --lang ja >/dev/null
  "$reg" incident sample_data/register.xlsx --incident INC-2026-01 --out "$out/incident" --format xlsx --as-of "$AS_OF" --lang ja >/dev/null
  "$reg" publish sample_data/register.xlsx --out "$out/public_ja.html" --as-of "$AS_OF" --lang ja >/dev/null
  "$reg" publish sample_data/register.json --out "$out/public.md" --as-of "$AS_OF" >/dev/null
  "$reg" template "$out/template.xlsx" --lang ja >/dev/null
  "$reg" convert sample_data/register.xlsx "$out/register.json" >/dev/null 2>&1
  "$reg" convert sample_data/register.json "$out/register_csv" >/dev/null 2>&1
}
echo "wheel-check: running every command from $(pwd)"
run_all "$WORK/venv/bin/register" wheel
"$WORK/venv/bin/python" -m register --version | grep -q "register, version" \
  || { echo "wheel-check: python -m register failed" >&2; exit 1; }
run_all "$DEV/bin/register" editable
if ! diff -r wheel editable >"$WORK/diff.txt"; then
  head -n 40 "$WORK/diff.txt"
  echo "wheel-check: the installed wheel's outputs differ from the checkout's" >&2
  exit 1
fi
echo "wheel-check: ok — $(find wheel -type f | wc -l) outputs byte-identical to the checkout's"
