#!/usr/bin/env bash
# Packs what scripts/gpu-bench.sh needs on a CUDA machine that has no .NET and no network, in parts that each fit a
# device call (64 MiB with the working tree), all under the git-ignored .gpu/:
#   .gpu/p2       the self-contained scipix, the models and sroie_lines (57 MB);
#   .gpu/p1       ONNX Runtime's CUDA provider pruned to one GPU architecture (scripts/prune-fatbin.py; 52 MB), or with
#                 SM=full, .gpu/f1 .. .gpu/f4, the whole provider (187 MB) in parts of 46 MB.
# Takes about 4 minutes on 2 cores (xz).
#   scripts/stage-gpu-bench.sh [EVAL_DIR] [SM]      (defaults: ../shared/eval, 90 = H100/H200; or full)
# Then with the device tool, back to back (the machine keeps /tmp only while warm, 30 s):
#   pruned: carry [".gpu/p1"], command: mkdir -p /tmp/g && xz -dc .gpu/p1/*.xz > /tmp/g/libonnxruntime_providers_cuda.so
#   whole:  for each K, carry [".gpu/fK"], command: mkdir -p /tmp/g/parts && cp .gpu/fK/* /tmp/g/parts/
#   then:   carry [".gpu/p2"], command: PHASE=diagnose bash scripts/gpu-bench.sh (timeout_s 330), and after any fix
#           and restage the same calls with PHASE=measure (timeout_s 600)
# (docs/benchmarks.md, "On the GPU").
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
eval_dir=${1:-$repo/../shared/eval}
sm=${2:-90}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$repo/models/fetch.sh"
dotnet publish "$repo/src/ScipixWorker.Cli" -c Release -r linux-x64 --self-contained -o "$work/stage/app" -p:PublishReadyToRun=false --nologo -v quiet
native=$work/stage/app
if [ "$sm" = full ]; then
  cp "$native/libonnxruntime_providers_cuda.so" "$work/libonnxruntime_providers_cuda.so"
else
  python3 "$repo/scripts/prune-fatbin.py" "$native/libonnxruntime_providers_cuda.so" "$work/libonnxruntime_providers_cuda.so" "$sm"
fi
rm -f "$native/libonnxruntime_providers_cuda.so" "$native/libonnxruntime_providers_tensorrt.so"
# jemalloc for the page-fault comparison of gpu-bench.sh's diagnosis (the GPU machine has none; 0.7 MB).
jemalloc=$(ldconfig -p 2>/dev/null | awk '/libjemalloc\.so\.2 / { print $NF; exit }' || true)
[ -n "$jemalloc" ] && cp "$jemalloc" "$native/libjemalloc.so.2" || echo "stage-gpu-bench: no libjemalloc.so.2 here (apt-get install libjemalloc2); the diagnosis skips it"
mkdir -p "$work/stage/models" "$work/stage/eval"
while read -r _ name; do cp "$repo/models/$name" "$work/stage/models/"; done < "$repo/models/SHA256SUMS"
cp "$repo/models/variants.json" "$work/stage/models/"
cp -r "$eval_dir/sroie_lines" "$work/stage/eval/"
rm -rf "$repo/.gpu" && mkdir -p "$repo/.gpu/p1" "$repo/.gpu/p2"
xz -T0 -6 -c "$work/libonnxruntime_providers_cuda.so" > "$work/provider.xz" &
tar -C "$work/stage" -cf - . | xz -T0 -6 > "$repo/.gpu/p2/stage.tar.xz"
wait
if [ "$sm" = full ]; then
  rmdir "$repo/.gpu/p1"
  (cd "$work" && split -b 46M -d -a 1 provider.xz part.)
  for part in "$work"/part.*; do k=$(( ${part##*.} + 1 )); mkdir -p "$repo/.gpu/f$k" && mv "$part" "$repo/.gpu/f$k/part.$k"; done
else
  mv "$work/provider.xz" "$repo/.gpu/p1/libonnxruntime_providers_cuda.so.xz"
fi
du -sh "$repo/.gpu"/*
