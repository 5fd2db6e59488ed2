#!/usr/bin/env bash
# The recognizer's GPU measurements (issue 4), in one go on a CUDA machine that has no .NET: the self-contained
# `scipix` that scripts/stage-gpu-bench.sh packs, with ONNX Runtime's CUDA provider, runs
#   1. `scipix bench ceiling`: ONNX Runtime alone and the engine in-process at batch 1..64, 1 and N callers;
#   2. `scipix bench pipeline`: the worker's scheduler in-process, static sizes against the adaptive controller,
#      saturated and at two rates;
#   3. the adaptive controller with 4 executors, and with cuDNN's exhaustive algorithm search.
# It starts with a diagnosis: ONNX Runtime's node placement, a per-node profile, the host/device copy speed, kernel launch cost
# and a PyTorch convolution baseline, and the page faults of the ceiling under three allocators.
# Each step has its own time limit and writes its JSON to $OUT as it finishes, so a cut-short run still brings
# back what it measured. PHASE=diagnose stops after the diagnosis (about four minutes), PHASE=measure skips it.
# Usage: [PHASE=all|diagnose|measure] scripts/gpu-bench.sh [STAGE_DIR]  (holding app/, models/, eval/sroie_lines; default /tmp/g/stage, unpacked
# there from .gpu/p2/stage.tar.xz, with the CUDA provider that the first device call left in /tmp/g).
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
stage=${1:-/tmp/g/stage}
out=${OUT:-$stage/out}
mkdir -p "$out"
exec > >(tee -a "$out/gpu-bench.log") 2>&1

unxz() { xz -dc "$1" 2>/dev/null || python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1"; }
if [ ! -x "$stage/app/scipix" ] && [ -f "$repo/.gpu/p2/stage.tar.xz" ]; then
  mkdir -p "$stage"
  if ! unxz "$repo/.gpu/p2/stage.tar.xz" | tar -C "$stage" -xf -; then echo "gpu-bench: cannot unpack the stage"; exit 1; fi
fi
# The CUDA provider: unpacked into /tmp/g by the earlier device calls (pruned: one call; whole: its parts, one call each).
provider_lib=$stage/app/libonnxruntime_providers_cuda.so
if [ ! -f "$provider_lib" ]; then
  if [ -f /tmp/g/libonnxruntime_providers_cuda.so ]; then cp /tmp/g/libonnxruntime_providers_cuda.so "$provider_lib"
  elif ls /tmp/g/parts/part.* >/dev/null 2>&1; then cat /tmp/g/parts/part.* > /tmp/g/provider.xz && unxz /tmp/g/provider.xz > "$provider_lib"
  else echo "gpu-bench: no CUDA provider library in /tmp/g (see scripts/stage-gpu-bench.sh)"; fi
fi

# CUDA 13, cuBLAS, cuRAND and cuDNN 9: wherever the machine has them (the CUDA toolkit, pip's nvidia-* wheels).
libs=$(find /usr/local /opt /usr/lib \( -name 'libcudart.so.13*' -o -name 'libcublas.so.13*' -o -name 'libcublasLt.so.13*' \
  -o -name 'libcurand.so.10*' -o -name 'libcudnn.so.9*' \) -printf '%h\n' 2>/dev/null | sort -u | paste -sd:)
export LD_LIBRARY_PATH="$stage/app:$libs:/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
nproc
ldd "$stage/app/libonnxruntime_providers_cuda.so" | grep -i "not found" && echo "gpu-bench: CUDA libraries missing (above)"

provider=${PROVIDER:-cuda}   # PROVIDER=cpu tries the flow on a machine without a GPU
scipix=$stage/app/scipix
set_dir=$stage/eval/sroie_lines
common=(--provider "$provider" --models "$stage/models" --set "$set_dir" --lines --json)

step() { # step SECONDS NAME COMMAND...: one measurement under its own limit, its stdout to $OUT/NAME.json
  local limit=$1 name=$2; shift 2
  echo "=== $name (limit ${limit}s) $(date -u +%T)"
  local started=$SECONDS
  timeout "$limit" "$@" > "$out/$name.json"; local rc=$?
  echo "=== $name: rc=$rc in $((SECONDS - started))s"
  return $rc
}

# One line first: does the engine run on the provider at all? (A fallback to the CPU says why on stderr.)
first=$(awk -F'\t' 'NR == 2 { print $1 }' "$set_dir/manifest.tsv")
"$scipix" ocr --provider "$provider" --models "$stage/models" --lines --json "$set_dir/$first" > "$out/check.json"
grep -q "\"$provider\"" "$out/check.json" || { echo "gpu-bench: the engine did not run on $provider; stopping"; exit 1; }

phase=${PHASE:-all}
if [ "$phase" != measure ]; then
# Where the recognizer's time goes: which provider ONNX Runtime placed each node on (its verbose log) and a profile of
# 40 lines read one at a time (scripts/ort-profile-summary.py).
mapfile -t forty < <(awk -F'\t' -v dir="$set_dir" 'NR > 1 && NR <= 41 { print dir "/" $1 }' "$set_dir/manifest.tsv")
mkdir -p /tmp/g/prof && rm -f /tmp/g/prof/*.json
Ocr__OrtLogLevel=Verbose Ocr__OrtProfilePrefix=/tmp/g/prof/ort timeout 90 "$scipix" ocr --provider "$provider" --models "$stage/models" \
  --lines "${forty[@]}" > /dev/null 2> /tmp/g/verbose.log
grep "VerifyEachNodeIsAssignedToAnEp" /tmp/g/verbose.log | head -400 > "$out/placement.txt"
grep -iE "fallback|memcpy|not assigned" /tmp/g/verbose.log | sort | uniq -c | sort -rn | head -40 >> "$out/placement.txt"
xz -c /tmp/g/verbose.log | head -c 15000000 > "$out/verbose.log.xz"
python3 "$repo/scripts/ort-profile-summary.py" /tmp/g/prof/*.json > "$out/profile.txt" 2>&1
head -60 "$out/profile.txt"
# The same 40 lines with cuDNN's workspace capped (Ocr:CudnnConvUseMaxWorkspace=false), a known cause of slow
# convolution networks on ONNX Runtime's CUDA provider.
mkdir -p /tmp/g/prof-ws && rm -f /tmp/g/prof-ws/*.json
Ocr__CudnnConvUseMaxWorkspace=false Ocr__OrtProfilePrefix=/tmp/g/prof-ws/ort timeout 90 "$scipix" ocr --provider "$provider" \
  --models "$stage/models" --lines "${forty[@]}" > /dev/null 2>&1
python3 "$repo/scripts/ort-profile-summary.py" /tmp/g/prof-ws/*.json > "$out/profile-capped-workspace.txt" 2>&1
head -8 "$out/profile-capped-workspace.txt"
# The machine itself, through PyTorch (no ONNX Runtime): copies between pageable host memory and the GPU, into fresh
# host arrays as ONNX Runtime's outputs are (a virtual machine that backs its memory lazily makes these slow, and the
# recognizer copies 1 MB of probabilities per line back); the cost of one kernel launch (a VM that traps the doorbell
# makes every launch dear, and the recognizer launches several hundred kernels a call: the GPU would idle while a core
# waits, as the first run saw); and a small convolution stack shaped like the recognizer's input at batch 1 and 64, with
# cuDNN's own algorithm search, against which ONNX Runtime's figures can be read.
timeout 90 python3 - <<'PY' > "$out/memcpy.txt" 2>&1
import time
import torch
device = torch.device("cuda")
for mb in (1, 16, 64):
    host = torch.ones(mb << 18, dtype=torch.float32)
    gpu = host.to(device)
    torch.cuda.synchronize()
    started = time.perf_counter()
    for _ in range(10):
        gpu.cpu()
    d2h = (time.perf_counter() - started) / 10
    started = time.perf_counter()
    for _ in range(10):
        host.to(device)
    torch.cuda.synchronize()
    h2d = (time.perf_counter() - started) / 10
    print(f"{mb} MB: device to fresh host memory {d2h * 1000:.2f} ms ({mb / d2h:.0f} MB/s), host to device {h2d * 1000:.2f} ms ({mb / h2d:.0f} MB/s)")
small = torch.ones(16, device=device)
for _ in range(100):
    small.add_(1)
torch.cuda.synchronize()
started = time.perf_counter()
for _ in range(5000):
    small.add_(1)
torch.cuda.synchronize()
print(f"kernel launch: {(time.perf_counter() - started) / 5000 * 1e6:.1f} us each (5,000 queued, one synchronize)")
started = time.perf_counter()
for _ in range(500):
    small.add_(1)
    torch.cuda.synchronize()
print(f"kernel launch + synchronize: {(time.perf_counter() - started) / 500 * 1e6:.1f} us each")
torch.backends.cudnn.benchmark = True
layers = [torch.nn.Conv2d(3, 32, 3, padding=1), torch.nn.ReLU()]
for _ in range(12):
    layers += [torch.nn.Conv2d(32, 32, 3, padding=1), torch.nn.BatchNorm2d(32), torch.nn.Hardswish()]
net = torch.nn.Sequential(*layers).to(device).eval()
with torch.inference_mode():
    for batch in (1, 64):
        x = torch.rand(batch, 3, 48, 320, device=device)
        for _ in range(5):
            net(x)
        torch.cuda.synchronize()
        started = time.perf_counter()
        for _ in range(20):
            net(x).cpu()
        per_call = (time.perf_counter() - started) / 20
        print(f"13 convolutions at {batch} x 3 x 48 x 320, output copied back: {per_call * 1000:.2f} ms a call, {batch / per_call:.0f} lines/s")
PY
cat "$out/memcpy.txt"
# Page faults: ONNX Runtime copies each output into fresh host memory (its CPU arena is off), and glibc maps every
# allocation over 32 MB afresh, so a batch of 64 lines (100-400 MB of probabilities) faults in every page of its output
# again on every call; on this project's 2-core VM faults were 35 % of a saturated worker's time until jemalloc kept
# its large pages (docs/benchmarks.md, "Large allocations keep their pages"). The same ceiling with glibc and with the
# staged jemalloc (MALLOC_CONF=oversize_threshold:0, as the worker image runs), each with its minor faults.
timeout 220 python3 - "$scipix" "$stage" "$provider" <<'PY' > "$out/faults.txt" 2>&1
import json, os, resource, subprocess, sys, time
scipix, stage, provider = sys.argv[1:4]
sizes = os.environ.get("FAULT_BATCH", "64")
jemalloc = os.path.join(stage, "app", "libjemalloc.so.2")
variants = (("glibc", {}),
            # glibc never mapping an allocation of its own and keeping what is freed (no page faulted in twice)
            ("glibc-kept", {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": str(1 << 40), "MALLOC_TOP_PAD_": str(256 << 20)}),
            ("jemalloc", {"LD_PRELOAD": jemalloc, "MALLOC_CONF": "oversize_threshold:0"}))
for name, extra in variants:
    if "LD_PRELOAD" in extra and not os.path.exists(jemalloc):
        print(f"{name}: not staged"); continue
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.time()
    try:
        run = subprocess.run([scipix, "bench", "ceiling", "--provider", provider, "--models", f"{stage}/models", "--set", f"{stage}/eval/sroie_lines",
                              "--lines", "--json", "--seconds-per-size", "2", "--tesseract-limit", "0", "--batch-sizes", "1", sizes],
                             env={**os.environ, **extra}, capture_output=True, text=True, timeout=70)
    except subprocess.TimeoutExpired:
        print(f"{name}: timed out after 70 s"); continue
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{name}: rc {run.returncode} in {time.time() - started:.1f} s, {after.ru_minflt - before.ru_minflt} minor faults, "
          f"{after.ru_utime - before.ru_utime:.1f} s user, {after.ru_stime - before.ru_stime:.1f} s system")
    try:
        result = json.loads(run.stdout)
        for point in next((v for k, v in result.items() if k.lower() == "points"), []):
            print("  ", json.dumps(point))
    except ValueError:
        print(run.stdout[-2000:], run.stderr[-2000:])
PY
cat "$out/faults.txt"
fi
[ "$phase" = diagnose ] && { ls -l "$out"; exit 0; }

step 150 ceiling "$scipix" bench ceiling "${common[@]}" --seconds-per-size 3 --tesseract-limit 0 --batch-sizes 1 8 32 64
grep -q "(fp32, $provider)" "$out/ceiling.json" || { echo "gpu-bench: the engine did not run on $provider; stopping"; exit 1; }
step 200 pipeline "$scipix" bench pipeline "${common[@]}" --static 1 8 32 --max-batch 64 --rates 100 1500 --seconds 6 --warmup-seconds 2
step 45 pipeline-executors4 "$scipix" bench pipeline "${common[@]}" --static 0 --max-batch 64 --executors 4 --seconds 6 --warmup-seconds 2
step 120 pipeline-exhaustive env Ocr__CudnnConvAlgoSearch=Exhaustive "$scipix" bench pipeline "${common[@]}" --static 0 --max-batch 64 --seconds 6 --warmup-seconds 2
# The models as exported (Ocr:SimplifyGraphs=false), against ceiling.json: the simplified recognizer launches about half
# as many kernels a call (docs/benchmarks.md, "Simpler model graphs").
step 60 ceiling-as-exported env Ocr__SimplifyGraphs=false "$scipix" bench ceiling "${common[@]}" --seconds-per-size 3 --tesseract-limit 0 --batch-sizes 1 64
nvidia-smi --query-gpu=name,utilization.gpu,memory.used --format=csv,noheader
ls -l "$out"
