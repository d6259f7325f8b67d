#!/bin/sh
# Issue 2's speed figures in one run: criterion benches of the codec (typed and Value decode, the
# bare quick-xml loop, encode), Python's xmlrpc.client.loads on the same bytes (run by the bench),
# a side-by-side summary, then the peak heap of the typed decode. Extra arguments go to criterion
# (e.g. `typed` to run only matching benches).
set -eu
cd "$(dirname "$0")/../.."
: "${CARGO_TARGET_DIR:=target}"
export CARGO_TARGET_DIR
cargo bench -p taskflow-sdk --bench codec -- "$@"
cargo bench -p taskflow-sdk --bench codec_memory
