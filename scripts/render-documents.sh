#!/usr/bin/env bash
# Renders every document a provincial office sends (the DOCX report of the demo in several
# period forms, an issued report exported as issued, the XLSX annexes, and the report of a
# larger generated registry) to PDF with LibreOffice and to PNG pages with pdftoppm, so that a
# person can look at the pages: stranded headings, one-line last pages, wrapped numbers,
# clipped cells.
#
#   scripts/render-documents.sh            # writes test-artifacts/documents/
#   HTX_BIN=target/release/htx scripts/render-documents.sh
#   GEN_ORGANISATIONS=20000 scripts/render-documents.sh
#
# Needs soffice (LibreOffice Writer and Calc; on Debian libreoffice-writer-nogui and
# libreoffice-calc-nogui) and pdftoppm/pdfinfo (poppler-utils). Output: NAME.docx / NAME.xlsx, NAME.pdf
# and NAME-N.png (60 dpi) per page, and index.txt listing each document with its page count.
set -euo pipefail

cd "$(dirname "$0")/.."
OUT=test-artifacts/documents
GEN_ORGANISATIONS=${GEN_ORGANISATIONS:-3000}
DATE=2022-07-08

if [[ -z "${HTX_BIN:-}" ]]; then
    cargo build --quiet
    HTX_BIN=${CARGO_TARGET_DIR:-target}/debug/htx
fi
for tool in soffice pdftoppm pdfinfo; do
    command -v "$tool" >/dev/null || { echo "render-documents: $tool is not installed" >&2; exit 1; }
done

rm -rf "$OUT"
mkdir -p "$OUT/db"
OUT_ABS=$(cd "$OUT" && pwd)
DEMO="sqlite://$OUT_ABS/db/demo.db?mode=rwc"
GEN="sqlite://$OUT_ABS/db/gen.db?mode=rwc"
htx() { "$HTX_BIN" "$@"; }

echo "== demo registry"
htx demo --db "$DEMO" --fresh --out-dir "$OUT/db" >/dev/null

# The demo's report in each period form, as a draft (no number yet).
report() { # NAME PERIOD [more options]
    local name=$1 period=$2
    shift 2
    for format in docx xlsx; do
        htx report --db "$DEMO" --period "$period" --date "$DATE" --format "$format" \
            --out "$OUT/$name.$format" "$@" >/dev/null
    done
}
report demo-2022-H1 2022-H1
report demo-2022-H1-same-period 2022-H1 --compare-same-period
report demo-2022-Q2 2022-Q2
report demo-2022-01-to-04 2022-01..2022-04
report demo-2022 2022
report demo-2022-H1-gia-binh 2022-H1 --area old-263

echo "== issued report"
htx report --db "$DEMO" --period 2022-H1 --date "$DATE" --format docx \
    --out "$OUT/db/issue.docx" --issue 125 >/dev/null
for format in docx xlsx; do
    htx issued export --db "$DEMO" 125 --format "$format" --out "$OUT/issued-125.$format" >/dev/null
done

echo "== generated registry ($GEN_ORGANISATIONS organisations)"
htx gen --db "$GEN" --organisations "$GEN_ORGANISATIONS" >/dev/null
htx gen --db "$GEN" --loans $((GEN_ORGANISATIONS / 10)) >/dev/null
for format in docx xlsx; do
    # A province's report (as its office sends it) and the whole country's (a long table).
    htx report --db "$GEN" --period 2025 --date 2026-01-15 --format "$format" --area new-01 \
        --out "$OUT/gen-2025-ha-noi.$format" >/dev/null
    htx report --db "$GEN" --period 2025 --date 2026-01-15 --format "$format" \
        --out "$OUT/gen-2025.$format" >/dev/null
done

echo "== PDF and PNG"
: >"$OUT/index.txt"
for doc in "$OUT"/*.docx "$OUT"/*.xlsx; do
    base=${doc%.*}
    ext=${doc##*.}
    # LibreOffice names the PDF after the file, so a DOCX and an XLSX of the same name must not
    # overwrite each other.
    pdf="$base-$ext.pdf"
    soffice --headless --convert-to pdf --outdir "$OUT/db" "$doc" >/dev/null 2>&1 || true
    if [[ ! -f "$OUT/db/$(basename "$base").pdf" ]]; then
        echo "render-documents: LibreOffice could not convert $doc (is its ${ext^^} filter installed?)" >&2
        exit 1
    fi
    mv "$OUT/db/$(basename "$base").pdf" "$pdf"
    pdftoppm -r 60 -png "$pdf" "$base-$ext"
    pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
    printf '%-40s %3s pages\n' "$(basename "$doc")" "$pages" | tee -a "$OUT/index.txt"
done
echo "Written to $OUT/ (look at the PNG pages)"
