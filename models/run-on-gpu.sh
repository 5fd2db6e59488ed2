#!/usr/bin/env bash
# The quantization run, in one go, on the GPU machine (onnxruntime 1.30 + onnx 1.23 + OpenCV in its python3),
# within its 10-minute command limit. Prepare the data first on the CPU machine: models/stage-for-gpu.sh.
# Then, with the device tool:  command 'bash models/run-on-gpu.sh'  carry ['models/.quant-data']  timeout_s 600
#
# Writes $OUT/variants.tar.gz (the variant models, variants.json with their entries and provenance, the search
# report), $OUT/quantize.log and $OUT/versions.txt. Back on the CPU machine: models/gate-variants.sh
# <files_at>/variants.tar.gz puts them in models/ and runs the C# accuracy gate on them.
#
# Each step has its own time limit and a failing step does not stop the others, so a partial run still
# brings back what it made. Budget (16 cores): prepare 3 x ~10 s, recognizer search 270 s, detector and
# classifier INT8 ~60 s each, three FP16 conversions with overflow scans ~30 s each.
set -uo pipefail
export PYTHONUNBUFFERED=1
repo=$(cd "$(dirname "$0")/.." && pwd)
data=$repo/models/.quant-data
out=${OUT:-$repo/models/.quant-out}
work=$(mktemp -d)
mkdir -p "$out"
exec > >(tee "$out/quantize.log") 2>&1

step() { # step SECONDS NAME QUANTIZE-ARGS...: one quantize.py command under its own time limit
  local limit=$1 name=$2; shift 2
  echo "=== $name (limit ${limit}s)"
  local started=$SECONDS
  timeout "$limit" python3 "$repo/models/quantize.py" "$@"; local rc=$?
  echo "=== $name: rc=$rc in $((SECONDS - started))s"
}

[ -d "$data/models" ] || { echo "run-on-gpu: no $data: run models/stage-for-gpu.sh on the CPU machine and carry models/.quant-data"; exit 1; }
{ python3 --version; python3 -c "import onnxruntime as o, onnx, numpy, cv2; print('onnxruntime', o.__version__, o.get_available_providers()); print('onnx', onnx.__version__, 'numpy', numpy.__version__, 'cv2', cv2.__version__)"; nproc; lscpu | grep -iE 'model name|flags' | cut -c1-400; } > "$out/versions.txt" 2>&1
cat "$out/versions.txt"
python3 -c "import onnxruntime, onnx, numpy, cv2" || { echo "run-on-gpu: python packages missing (models/requirements.txt)"; exit 1; }

cp "$data"/models/* "$work/"
cp "$repo/models/variants.json" "$work/variants.json"
rec=$work/ch_PP-OCRv4_rec_infer.onnx
det=$work/ch_PP-OCRv4_det_infer.onnx
cls=$work/ch_ppocr_mobile_v2.0_cls_infer.onnx
lines=$data/eval/sroie_lines
pages=$data/eval/sroie_pages

for m in "$rec" "$det" "$cls"; do
  step 60 "prepare $(basename "$m")" prepare --model "$m" --out "${m%.onnx}.prepared.onnx"
done

step 300 "recognizer INT8 search" search --model "$rec" --role rec --prepared "${rec%.onnx}.prepared.onnx" \
  --calibration-dir "$lines" --calibration-count 120 --held-count 120 --out-dir "$work/search-rec" \
  --time-budget 240 --install --record "$work/variants.json"

step 90 "detector INT8" int8 --model "$det" --role det --prepared "${det%.onnx}.prepared.onnx" \
  --calibration-dir "$pages" --calibration-count 12 --held-count 8 --method minmax --exclude-last 2 \
  --exclude-op-types Sigmoid --name minmax-pc-last2 --record "$work/variants.json"

step 60 "classifier INT8" int8 --model "$cls" --role cls --prepared "${cls%.onnx}.prepared.onnx" \
  --calibration-dir "$lines" --calibration-count 120 --held-count 120 --method minmax --exclude-last 1 \
  --exclude-op-types Softmax --name minmax-pc-last1 --record "$work/variants.json"

step 60 "recognizer FP16" fp16 --model "$rec" --role rec --prepared "${rec%.onnx}.prepared.onnx" \
  --calibration-dir "$lines" --calibration-count 40 --held-count 60 --record "$work/variants.json"
step 60 "detector FP16" fp16 --model "$det" --role det --prepared "${det%.onnx}.prepared.onnx" \
  --calibration-dir "$pages" --calibration-count 6 --held-count 4 --record "$work/variants.json"
step 45 "classifier FP16" fp16 --model "$cls" --role cls --prepared "${cls%.onnx}.prepared.onnx" \
  --calibration-dir "$lines" --calibration-count 40 --held-count 60 --record "$work/variants.json"

(cd "$work" && sha256sum ./*.int8.onnx ./*.fp16.onnx 2>/dev/null; ls -l ./*.onnx)
(cd "$work" && tar -czf "$out/variants.tar.gz" variants.json $(ls ./*.int8.onnx ./*.fp16.onnx 2>/dev/null) \
  $(ls search-rec/search-rec.json 2>/dev/null))
ls -l "$out"
