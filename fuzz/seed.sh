#!/bin/sh
# Fills fuzz/corpus/ with seed inputs for the fuzz targets. Run from anywhere:
#
#   fuzz/seed.sh [CORPUS_DIR]
#
# CORPUS_DIR is the shared third-party feed corpus (default: $FEEDHOOK_CORPUS, else ../shared/corpus
# beside the repository). Its feed inputs of at most 64 KiB (MANIFEST.tsv) seed the `feed` target;
# larger ones only slow each run down. The `html` target gets our own samples from fuzz/seeds/html
# and the first bytes of those feeds. fuzz/corpus/ is git-ignored: no third-party data is committed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
source=${1:-${FEEDHOOK_CORPUS:-$here/../../shared/corpus}}
if [ ! -f "$source/MANIFEST.tsv" ]; then
    echo "no MANIFEST.tsv in $source; pass the corpus folder as the first argument" >&2
    exit 1
fi
mkdir -p "$here/corpus/feed" "$here/corpus/html"
awk -F'\t' '$4 <= 65536 { print $3 }' "$source/MANIFEST.tsv" | while IFS= read -r path; do
    name=$(printf '%s' "$path" | tr '/' '_')
    cp "$source/$path" "$here/corpus/feed/$name"
    # The html target reads its first byte as a switch; the rest is the summary.
    head -c 4096 "$source/$path" > "$here/corpus/html/$name"
done
cp "$here"/seeds/html/* "$here/corpus/html/"
echo "seeded $(ls "$here/corpus/feed" | wc -l) feed and $(ls "$here/corpus/html" | wc -l) html inputs"
