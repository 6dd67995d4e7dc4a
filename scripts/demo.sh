#!/usr/bin/env bash
# make demo: the main job on the bundled sample register, printing where every output went.
set -uo pipefail
REGISTER=${1:-register}
OUT=${2:-out}
AS_OF=2026-11-21  # fixed so that the demo's outputs are reproducible byte for byte
SAMPLE=sample_data/register.xlsx
mkdir -p "$OUT"
step() { printf '\n== %s\n' "$*"; }
fail() { echo "demo: $*" >&2; exit 1; }

step "A blank template for a Japanese privacy officer"
"$REGISTER" template "$OUT/template_ja.xlsx" --lang ja >/dev/null || fail "template failed"
"$REGISTER" template "$OUT/template_en.xlsx" --lang en >/dev/null || fail "template failed"

step "Checking $SAMPLE (as of $AS_OF)"
"$REGISTER" check "$SAMPLE" --as-of "$AS_OF" | tail -n 1
[ "${PIPESTATUS[0]}" -le 1 ] || fail "check failed"

step "Converting the workbook to JSON and to a CSV folder"
"$REGISTER" convert "$SAMPLE" "$OUT/register.json" >/dev/null || fail "convert failed"
"$REGISTER" convert "$SAMPLE" "$OUT/register_csv" >/dev/null || fail "convert failed"

step "The records APPI requires"
"$REGISTER" records "$SAMPLE" --out "$OUT/records" --format xlsx --as-of "$AS_OF" >/dev/null || fail "records failed"
"$REGISTER" records "$SAMPLE" --out "$OUT/records" --format csv --as-of "$AS_OF" >/dev/null || fail "records failed"

step "Leak triage: incident INC-2026-01 (the decision, deadlines and report drafts)"
"$REGISTER" incident "$SAMPLE" --incident INC-2026-01 --out "$OUT/incident" --as-of "$AS_OF" --lang ja >/dev/null || fail "incident failed"
"$REGISTER" incident "$SAMPLE" --incident INC-2026-01 --out "$OUT/incident_xlsx" --format xlsx --as-of "$AS_OF" --lang ja >/dev/null || fail "incident failed"

step "The public texts: the policy-page Markdown and a review copy with the gaps"
"$REGISTER" publish "$SAMPLE" --out "$OUT/privacy_ja.md" --as-of "$AS_OF" --lang ja >/dev/null || fail "publish failed"
"$REGISTER" publish "$SAMPLE" --out "$OUT/public_ja.html" --as-of "$AS_OF" --lang ja >/dev/null || fail "publish failed"

step "The auditor report"
"$REGISTER" report "$SAMPLE" --out "$OUT/report.html" --as-of "$AS_OF" >/dev/null || fail "report failed"
"$REGISTER" report "$SAMPLE" --out "$OUT/report_ja.html" --as-of "$AS_OF" --lang ja >/dev/null || fail "report failed"

cat <<DONE

Outputs written to $OUT/:
  $OUT/template_ja.xlsx, $OUT/template_en.xlsx   blank register templates (Japanese / English)
  $OUT/register.json, $OUT/register_csv/         the sample register converted
  $OUT/records/records.xlsx                      provision and confirmation records (Excel)
  $OUT/records/*.csv                             the same records as CSV (UTF-8 with BOM)
  $OUT/report.html, $OUT/report_ja.html          the auditor report (open in a browser, print to PDF)
  $OUT/incident/                                 a leak: decision.json and the PPC report and notice drafts (md; xlsx in incident_xlsx/)
  $OUT/privacy_ja.md, $OUT/public_ja.html        the public texts: Markdown for the policy page, a review copy to print
DONE
