#!/usr/bin/env bash
# Run on the CPU machine after models/run-on-gpu.sh: unpacks its variants.tar.gz into models/ and runs the C#
# accuracy gate on every variant in it, side by side with FP32 on the dev sets, recording each result in
# models/variants.json (scipix eval --gate --record). Exit code 1 if any variant failed (it stays listed, with
# its failed result, and the engine will not run it).
#   models/gate-variants.sh /work/.device/.../variants.tar.gz [../shared/eval]
# MODELS_DIR=<dir> gates in another models folder; GATE_LIMIT=N uses only the first N items of each set (smoke runs).
set -uo pipefail
script_dir=$(cd "$(dirname "$0")" && pwd)
here=${MODELS_DIR:-$script_dir}
tarball=${1:?usage: gate-variants.sh variants.tar.gz [eval-dir]}
eval_dir=${2:-$script_dir/../../shared/eval}
repo=$(cd "$script_dir/.." && pwd)
tar -xzf "$tarball" -C "$here" --exclude='search-rec/*'
mkdir -p "$here/.quant-out" && tar -xzf "$tarball" -C "$here/.quant-out" 'search-rec/search-rec.json' 2>/dev/null
dotnet build "$repo/src/ScipixWorker.Cli" -c Release -v q -nologo || exit 1
scipix=$repo/src/ScipixWorker.Cli/bin/Release/net10.0/scipix
failed=0
gate() { # gate SET PRECISION-FLAG ARGS...
  local set=$1; shift
  echo "=== $set $*"
  # --precision fp32 pins the other models, so that exactly one variant is compared with FP32.
  "$scipix" eval "$eval_dir/$set" --models "$here" --gate --record --precision fp32 ${GATE_LIMIT:+--limit "$GATE_LIMIT"} "$@" || failed=1
}
for f in "$here"/*.int8.onnx "$here"/*.fp16.onnx; do
  [ -e "$f" ] || continue
  name=$(basename "$f"); precision=${name%.onnx}; precision=${precision##*.}
  case "$name" in
    *_rec_*) gate sroie_lines --lines --case-insensitive --batch 6 --recognizer-precision "$precision"
             gate uw3_lines --lines --batch 6 --recognizer-precision "$precision"
             gate sroie_pages --case-insensitive --recognizer-precision "$precision" ;;
    *_det_*) gate sroie_pages --case-insensitive --detector-precision "$precision" ;;
    *_cls_*) gate sroie_pages --case-insensitive --classifier-precision "$precision" ;;
  esac
done
sha256sum "$here"/*.int8.onnx "$here"/*.fp16.onnx 2>/dev/null
exit $failed
