#!/usr/bin/env bash
# Run on the CPU machine before models/run-on-gpu.sh: copies what the GPU machine needs and cannot reach into
# models/.quant-data (git-ignored), which the device call carries: the FP32 models and dictionary (ignored by
# git, so they do not travel otherwise) and the calibration sets from ../shared/eval (which does not travel).
# About 31 MB; the device call's limit is 64 MiB.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
eval_dir=${1:-$here/../../shared/eval}
[ -d "$eval_dir/sroie_lines" ] || { echo "stage-for-gpu: no $eval_dir/sroie_lines (pass the shared eval folder)" >&2; exit 1; }
"$here/fetch.sh"
data="$here/.quant-data"
rm -rf "$data"
mkdir -p "$data/models" "$data/eval"
while read -r _ name; do cp "$here/$name" "$data/models/"; done < "$here/SHA256SUMS"
for set in sroie_lines sroie_pages; do cp -r "$eval_dir/$set" "$data/eval/"; done
du -sh "$data"
echo "stage-for-gpu: now run, with the device tool: command 'bash models/run-on-gpu.sh', carry ['models/.quant-data'], timeout_s 600"
