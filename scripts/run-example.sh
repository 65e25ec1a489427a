#!/usr/bin/env bash
# The main job, on the bundled Lombardy catalog (catalogs/lombardia/catalogo.xml): sets up and
# builds moa (scripts/setup.sh), then
#   1. moa batch: every bundled procedure before and after the simplification programme, with
#      1,000 paired Monte Carlo iterations, in every province and provincial capital, into the
#      result store out/lombardia.db (a run killed half-way is continued by running this again);
#   2. moa report: the policymakers' savings report of that run, in Italian (PDF, HTML) and
#      English (PDF, HTML), and as CSV, into out/.
# Extra arguments go to moa batch (e.g. --iterations 5000 --seed 7, or --jobs 1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
build=${MOA_BUILD_DIR:-_build}
out=${MOA_OUT_DIR:-out}
moa="$build/cli/moa"
mkdir -p "$out"

"$moa" batch catalogs/lombardia/catalogo.xml --db "$out/lombardia.db" --iterations 1000 --resume "$@"
echo
"$moa" runs --db "$out/lombardia.db"
echo
for lang in it en; do
  name=$([ "$lang" = it ] && echo rapporto || echo report)
  "$moa" report --db "$out/lombardia.db" --lang "$lang" -o "$out/$name.pdf"
  "$moa" report --db "$out/lombardia.db" --lang "$lang" -o "$out/$name.html"
done
"$moa" report --db "$out/lombardia.db" -o "$out/report.csv"
echo "Reports of the newest complete run: $out/rapporto.pdf, $out/rapporto.html (Italian);"
echo "$out/report.pdf, $out/report.html (English); $out/report.csv (every figure, full precision)."
