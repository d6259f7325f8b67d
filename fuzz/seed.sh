#!/bin/sh
# Seeds the fuzz corpus with the recorded transcripts (the corpus itself is not committed).
# Usage: fuzz/seed.sh, then: cd fuzz && cargo +nightly fuzz run decode -- -runs=1000000
set -eu
here=$(cd "$(dirname "$0")" && pwd)
corpus="$here/corpus/decode"
mkdir -p "$corpus"
cp "$here"/../tests/fixtures/odoo-17/*.xml "$corpus"/
echo "seeded $(ls "$corpus" | wc -l) files into $corpus"
