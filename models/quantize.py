#!/usr/bin/env python3
"""Quantized variants of the PP-OCRv4 models with ONNX Runtime's own tooling.

Sub-commands (run `python models/quantize.py <command> --help`):

  prepare  FP32 model -> quantization-ready FP32 model: Constant-node weights become initializers, the opset
           goes to 13, then onnxruntime.quantization.quant_pre_process (shape inference, graph optimization).
  int8     static QDQ INT8 with onnxruntime.quantization.quantize_static, calibrated on real text images.
  fp16     FP16 with onnxruntime.transformers.float16.convert_float_to_float16 (FP32 inputs/outputs), keeping in
           FP32 the ops that have no FP16 kernel and the nodes whose activations overflow FP16 on real images.
  search   a grid of INT8 configurations for one model, each scored against FP32 on held-out images; keeps
           every candidate and copies the best to <stem>.int8.onnx.
  check    scores one variant against FP32 on held-out images (the same numbers search reports).
  record   adds or updates a variant's entry in models/variants.json (file, sha256, bytes, provenance).

Nothing here hand-writes a quantizer: calibration, QDQ insertion and FP16 conversion are ONNX Runtime's.

Input preprocessing repeats the C# engine's (src/ScipixWorker.Ocr), so that calibration sees what the engine
feeds the models:
  recognizer  BGR; resized to height 48 and width ceil(48*w/h) with OpenCV's bilinear resize; the tensor is
              int(48*max(224/48, w/h)) wide (at least 224, Ocr:RecognizerMinWidth's default; PaddleOCR
              uses 320) and right-padded with 0; x/127.5 - 1.
  classifier  as the recognizer, width at most 192, tensor 192 wide.
  detector    longest side limited to 960, each side rounded (half to even) to a multiple of 32; BGR;
              (x/255 - mean)/std with mean 0.485, 0.456, 0.406 and std 0.229, 0.224, 0.225 on B, G, R.

Calibration data (documented in docs/quantization.md): a set folder with manifest.tsv (../shared/eval layout).
Items are sorted by image name; the calibration items are those whose index i has i % 5 in {0, 2} (120 of
sroie_lines' 300 crops, 12 of sroie_pages' 30 pages), the others are held out for scoring. uw3_lines is never
used for calibration, so the C# gate's uw3 result is out of sample.

Requirements: models/requirements.txt (onnxruntime 1.30, onnx 1.23, numpy, opencv-python-headless).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import math
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DICTIONARY = HERE / "ppocr_keys_v1.txt"
ROLES = ("rec", "det", "cls")
BASE_MODELS = {
    "rec": "ch_PP-OCRv4_rec_infer.onnx",
    "det": "ch_PP-OCRv4_det_infer.onnx",
    "cls": "ch_ppocr_mobile_v2.0_cls_infer.onnx",
}
REC_HEIGHT, REC_MIN_WIDTH, CLS_WIDTH, DET_LIMIT = 48, 224, 192, 960
DET_MEAN = (0.485, 0.456, 0.406)
DET_STD = (0.229, 0.224, 0.225)
DET_THRESHOLD = 0.3  # DbPostProcessor's binarization threshold (Ocr:DetectorThreshold)
FP16_MAX = 65504.0


# ----------------------------------------------------------------------------------------------- utilities

def log(message: str) -> None:
    print(f"[quantize {time.strftime('%H:%M:%S')}] {message}", flush=True)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def versions() -> dict:
    found = {"python": platform.python_version()}
    for name in ("onnxruntime", "onnx", "numpy", "cv2"):
        try:
            module = __import__(name)
            found[name] = getattr(module, "__version__", "?")
        except ImportError:
            found[name] = None
    return found


def require(*names: str) -> None:
    missing = []
    for name in names:
        try:
            __import__(name)
        except ImportError:
            missing.append(name)
    if missing:
        sys.exit(f"quantize.py: missing Python packages {missing}: install models/requirements.txt "
                 "(onnxruntime is not installable on the 2-core CPU machines; run this on the GPU machine, "
                 "see models/run-on-gpu.sh)")


def variant_name(base: Path, precision: str) -> Path:
    return base.with_name(f"{base.stem}.{precision}.onnx")


def role_of(model: Path, explicit: str | None) -> str:
    if explicit:
        return explicit
    name = model.name
    for role in ROLES:
        if f"_{role}_" in name or name.startswith(f"{role}_") or f"_{role}." in name:
            return role
    sys.exit(f"quantize.py: cannot tell whether {name} is rec, det or cls: pass --role")


# ------------------------------------------------------------------------------------------ preprocessing

def read_bgr(path: Path):
    import numpy as np
    try:
        import cv2
        image = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if image is None:
            raise ValueError(f"cannot decode {path}")
        return image
    except ImportError:
        from PIL import Image
        return np.ascontiguousarray(np.asarray(Image.open(path).convert("RGB"))[:, :, ::-1])


_warned_resize = False


def resize(image, width: int, height: int):
    """OpenCV's INTER_LINEAR, which the C# CvResize reproduces; PIL's bilinear as a close fallback."""
    global _warned_resize
    if image.shape[1] == width and image.shape[0] == height:
        return image
    try:
        import cv2
        return cv2.resize(image, (width, height), interpolation=cv2.INTER_LINEAR)
    except ImportError:
        import numpy as np
        from PIL import Image
        if not _warned_resize:
            log("warning: OpenCV missing, resizing with PIL (close to, not exactly, the engine's resize)")
            _warned_resize = True
        return np.asarray(Image.fromarray(image).resize((width, height), Image.BILINEAR))


def line_tensor(image, max_width: int | None = None):
    """One line as the recognizer (max_width None) or the classifier (max_width 192) sees it: [1,3,48,W]."""
    import numpy as np
    h, w = image.shape[:2]
    ratio = w / float(h)
    if max_width is None:
        tensor_width = int(REC_HEIGHT * max(REC_MIN_WIDTH / float(REC_HEIGHT), ratio))
    else:
        tensor_width = max_width
    width = max(1, min(int(math.ceil(REC_HEIGHT * ratio)), tensor_width))
    resized = resize(image, width, REC_HEIGHT).astype(np.float32)
    tensor = np.zeros((1, 3, REC_HEIGHT, tensor_width), dtype=np.float32)
    tensor[0, :, :, :width] = (resized * np.float32(1 / 127.5) - np.float32(1.0)).transpose(2, 0, 1)
    return tensor


def det_size(width: int, height: int, limit: int = DET_LIMIT) -> tuple[int, int]:
    ratio = limit / float(max(width, height)) if max(width, height) > limit else 1.0
    rh, rw = int(height * ratio), int(width * ratio)
    # Python's round() rounds half to even, as PaddleOCR and the C# engine do.
    return max(int(round(rw / 32.0)) * 32, 32), max(int(round(rh / 32.0)) * 32, 32)


def det_tensor(image, limit: int = DET_LIMIT):
    import numpy as np
    width, height = det_size(image.shape[1], image.shape[0], limit)
    resized = resize(image, width, height).astype(np.float32)
    scale = np.array([1 / (255.0 * s) for s in DET_STD], dtype=np.float32)
    offset = np.array([-m / s for m, s in zip(DET_MEAN, DET_STD)], dtype=np.float32)
    return (resized * scale + offset).transpose(2, 0, 1)[None].astype(np.float32)


def tensor_for(role: str, image):
    if role == "rec":
        return line_tensor(image)
    if role == "cls":
        return line_tensor(image, CLS_WIDTH)
    return det_tensor(image)


# --------------------------------------------------------------------------------------- evaluation sets

@dataclass
class Item:
    image: Path
    truth: str


def read_set(set_dir: Path) -> list[Item]:
    manifest = set_dir / "manifest.tsv"
    if not manifest.is_file():
        sys.exit(f"quantize.py: no manifest.tsv in {set_dir}")
    items = []
    for line in manifest.read_text(encoding="utf-8").splitlines()[1:]:
        if not line.strip():
            continue
        columns = line.split("\t")
        truth_path = set_dir / columns[1]
        truth = truth_path.read_text(encoding="utf-8") if truth_path.is_file() else columns[1]
        items.append(Item(set_dir / columns[0], truth))
    return sorted(items, key=lambda i: str(i.image))


def split(items: list[Item], count: int) -> tuple[list[Item], list[Item]]:
    """Calibration: indices with i % 5 in {0, 2}, the first `count` of them; the rest is held out."""
    calibration = [item for i, item in enumerate(items) if i % 5 in (0, 2)][:count]
    chosen = {id(item) for item in calibration}
    return calibration, [item for item in items if id(item) not in chosen]


def input_name(model_path: Path) -> str:
    import onnx
    model = onnx.load(str(model_path), load_external_data=False)
    initializers = {i.name for i in model.graph.initializer}
    return next(i.name for i in model.graph.input if i.name not in initializers)


class ImageReader:
    """onnxruntime.quantization.CalibrationDataReader over preprocessed images, one per call."""

    def __init__(self, role: str, items: list[Item], name: str, rotate_half: bool = False):
        self._role, self._items, self._name, self._rotate_half = role, items, name, rotate_half
        self._index = 0

    def get_next(self):
        if self._index >= len(self._items):
            return None
        index = self._index
        self._index += 1
        image = read_bgr(self._items[index].image)
        if self._rotate_half and index % 2 == 1:
            # The classifier must see upside-down lines too: every other calibration crop is rotated 180 degrees.
            image = image[::-1, ::-1].copy()
        return {self._name: tensor_for(self._role, image)}

    def rewind(self):
        self._index = 0

    def __iter__(self):
        self.rewind()
        while (batch := self.get_next()) is not None:
            yield batch

    def __len__(self):
        return len(self._items)


def make_reader(role: str, items: list[Item], name: str):
    from onnxruntime.quantization import CalibrationDataReader

    class Reader(ImageReader, CalibrationDataReader):
        pass

    return Reader(role, items, name, rotate_half=(role == "cls"))


# ------------------------------------------------------------------------------------------------ prepare

def constants_to_initializers(model) -> int:
    """paddle2onnx writes weights as Constant nodes; the quantizer only quantizes initializers."""
    from onnx import helper
    graph = model.graph
    keep, moved = [], 0
    for node in graph.node:
        if node.op_type == "Constant" and len(node.output) == 1 and len(node.attribute) == 1 \
                and node.attribute[0].name == "value":
            tensor = helper.get_attribute_value(node.attribute[0])
            tensor.name = node.output[0]
            graph.initializer.append(tensor)
            moved += 1
        else:
            keep.append(node)
    del graph.node[:]
    graph.node.extend(keep)
    # An initializer must not also be listed as a graph input for shape inference and quantization to see it.
    names = {i.name for i in graph.initializer}
    inputs = [i for i in graph.input if i.name not in names]
    del graph.input[:]
    graph.input.extend(inputs)
    return moved


def annotate_softmax_ranks(model) -> list[str]:
    """
    ONNX's Softmax 12->13 adapter needs the input's rank, which shape inference cannot find in these models (the
    tensors come out of Reshapes of computed shapes). Opset 11 Softmax flattens from `axis` on, opset 13 works on
    `axis` alone: the same when `axis` is the last dimension, as in every Softmax of PP-OCR (attention [N,h,L,L]
    axis 3, CTC head [N,T,C] axis 2, classifier [N,2] axis 1). So the unknown rank is annotated as axis + 1,
    which makes the adapter keep the node as it is; `prepare` then checks the converted model against the
    original on an input when ONNX Runtime is there.
    """
    from onnx import TensorProto, helper, shape_inference
    inferred = shape_inference.infer_shapes(model)
    known = {v.name: v for v in list(inferred.graph.value_info) + list(inferred.graph.output) + list(inferred.graph.input)}
    annotated = []
    for node in model.graph.node:
        if node.op_type not in ("Softmax", "LogSoftmax", "Hardmax"):
            continue
        info = known.get(node.input[0])
        if info is not None and info.type.tensor_type.HasField("shape") and len(info.type.tensor_type.shape.dim) > 0:
            continue
        axis = next((helper.get_attribute_value(a) for a in node.attribute if a.name == "axis"), 1)
        if axis < 0:
            raise ValueError(f"{node.name}: Softmax axis {axis} on an input of unknown rank")
        model.graph.value_info.append(helper.make_tensor_value_info(node.input[0], TensorProto.FLOAT, [None] * (axis + 1)))
        annotated.append(f"{node.name} (axis {axis})")
    return annotated


def reference_input(role: str):
    import numpy as np
    shape = {"rec": (1, 3, REC_HEIGHT, 480), "cls": (1, 3, REC_HEIGHT, CLS_WIDTH), "det": (1, 3, 320, 256)}[role]
    return (np.sin(np.arange(int(np.prod(shape)), dtype=np.float32) * 0.618) * 0.9).reshape(shape).astype(np.float32)


def check_equivalent(original: Path, converted: Path, role: str | None) -> float | None:
    """Max |difference| of the outputs on one input; None when ONNX Runtime is not installed."""
    try:
        import numpy as np
        import onnxruntime as ort
    except ImportError:
        return None
    if role is None:
        return None
    x = reference_input(role)
    outputs = []
    for path in (original, converted):
        sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        outputs.append(sess.run(None, {sess.get_inputs()[0].name: x})[0])
    return float(np.max(np.abs(outputs[0] - outputs[1])))


def prepare(model_path: Path, out_path: Path, opset: int = 13, pre_process: bool = True) -> Path:
    import onnx
    from onnx import version_converter
    model = onnx.load(str(model_path))
    before = max((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), default=0)
    moved = constants_to_initializers(model)
    if before < opset:
        annotated = annotate_softmax_ranks(model) if before < 13 <= opset else []
        if annotated:
            log(f"Softmax ranks annotated for the opset conversion (axis is the last dimension): {', '.join(annotated)}")
        model = version_converter.convert_version(model, opset)
    onnx.checker.check_model(model)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    role = next((r for r in ROLES if f"_{r}_" in model_path.name), None)
    if not pre_process:
        onnx.save(model, str(out_path))
        log(f"prepared {model_path.name}: {moved} Constant nodes -> initializers, opset {before} -> {opset} (no pre-processing)")
        _check_prepared(model_path, out_path, role)
        return out_path
    require("onnxruntime")
    try:
        from onnxruntime.quantization import quant_pre_process
    except ImportError:
        from onnxruntime.quantization.shape_inference import quant_pre_process
    with tempfile.TemporaryDirectory(prefix="scipix-prep-") as tmp:
        converted = Path(tmp) / "converted.onnx"
        onnx.save(model, str(converted))
        # Shape inference (ONNX and ORT's symbolic) and ORT's basic graph optimizations, as ORT recommends
        # before quantize_static; auto_merge resolves the recognizer's dynamic width.
        quant_pre_process(str(converted), str(out_path), auto_merge=True)
    log(f"prepared {model_path.name}: {moved} Constant nodes -> initializers, opset {before} -> {opset}, quant_pre_process")
    _check_prepared(model_path, out_path, role)
    return out_path


def _check_prepared(original: Path, prepared: Path, role: str | None) -> None:
    difference = check_equivalent(original, prepared, role)
    if difference is None:
        log("equivalence check skipped (needs onnxruntime); `scipix eval --recognizer <prepared>` checks it in C#")
    elif difference > 1e-3:
        sys.exit(f"quantize.py: the prepared {prepared.name} differs from {original.name} by {difference:g}: the conversion is wrong")
    else:
        log(f"prepared model matches the original (max |difference| {difference:.2e})")


# ------------------------------------------------------------------------------------------------- int8

@dataclass
class Int8Config:
    name: str
    method: str = "minmax"              # minmax | entropy | percentile | distribution
    per_channel: bool = True
    percentile: float = 99.999
    exclude_last: int = 0               # the last N Conv/MatMul/Gemm/ConvTranspose nodes stay FP32
    exclude_op_types: list = field(default_factory=list)   # every node of these types stays FP32
    op_types: list = field(default_factory=list)           # quantize only these op types (empty: ORT's default)
    matmul_const_b_only: bool = False   # activation x activation MatMuls (attention) stay FP32
    activation_symmetric: bool = False
    weight_symmetric: bool = True
    reduce_range: bool = False          # 7-bit weights: ORT suggests it for non-VNNI CPUs
    activation_type: str = "quint8"     # quint8 | qint8
    moving_average: bool = False        # MinMax with a moving average of the ranges


COMPUTE_OPS = ("Conv", "MatMul", "Gemm", "ConvTranspose")


def exclusions(model_path: Path, config: Int8Config) -> list[str]:
    import onnx
    graph = onnx.load(str(model_path), load_external_data=False).graph
    names = []
    if config.exclude_last:
        compute = [n.name for n in graph.node if n.op_type in COMPUTE_OPS]
        names += compute[-config.exclude_last:]
    if config.exclude_op_types:
        names += [n.name for n in graph.node if n.op_type in config.exclude_op_types]
    unnamed = [n for n in graph.node if not n.name]
    if unnamed and (config.exclude_last or config.exclude_op_types):
        log(f"warning: {len(unnamed)} nodes have no name and cannot be excluded by name")
    return sorted(set(n for n in names if n))


def quantize_int8(prepared: Path, out_path: Path, role: str, calibration: list[Item], config: Int8Config) -> dict:
    require("onnxruntime", "onnx", "numpy")
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static
    methods = {
        "minmax": CalibrationMethod.MinMax,
        "entropy": CalibrationMethod.Entropy,
        "percentile": CalibrationMethod.Percentile,
        "distribution": CalibrationMethod.Distribution,
    }
    extra = {
        "ActivationSymmetric": config.activation_symmetric,
        "WeightSymmetric": config.weight_symmetric,
        "MatMulConstBOnly": config.matmul_const_b_only,
        "CalibMovingAverage": config.moving_average,
    }
    if config.method == "percentile":
        extra["CalibPercentile"] = config.percentile
    excluded = exclusions(prepared, config)
    started = time.time()
    quantize_static(
        str(prepared),
        str(out_path),
        make_reader(role, calibration, input_name(prepared)),
        quant_format=QuantFormat.QDQ,
        op_types_to_quantize=config.op_types or None,
        per_channel=config.per_channel,
        reduce_range=config.reduce_range,
        activation_type=QuantType.QInt8 if config.activation_type == "qint8" else QuantType.QUInt8,
        weight_type=QuantType.QInt8,
        nodes_to_exclude=excluded,
        calibrate_method=methods[config.method],
        extra_options=extra,
    )
    seconds = time.time() - started
    log(f"int8 {config.name}: {out_path.name} in {seconds:.0f} s ({len(excluded)} nodes kept in FP32)")
    return {"config": asdict(config), "excluded_nodes": excluded, "seconds": round(seconds, 1)}


# ------------------------------------------------------------------------------------------------- fp16

def fp16_converter():
    try:
        from onnxruntime.transformers.float16 import DEFAULT_OP_BLOCK_LIST, convert_float_to_float16
    except ImportError:
        from onnxconverter_common.float16 import DEFAULT_OP_BLOCK_LIST, convert_float_to_float16
    return convert_float_to_float16, list(DEFAULT_OP_BLOCK_LIST)


def activation_ranges(prepared: Path, role: str, items: list[Item]) -> dict:
    """Min and max of every float tensor on real inputs, with ORT's own MinMax calibrator."""
    from onnxruntime.quantization import CalibrationMethod, create_calibrator
    with tempfile.TemporaryDirectory(prefix="scipix-ranges-") as tmp:
        calibrator = create_calibrator(str(prepared), [], augmented_model_path=str(Path(tmp) / "augmented.onnx"),
                                       calibrate_method=CalibrationMethod.MinMax)
        calibrator.collect_data(make_reader(role, items, input_name(prepared)))
        data = calibrator.compute_data()
    table = data.data if hasattr(data, "data") else dict(data)
    ranges = {}
    for name, value in table.items():
        pair = getattr(value, "range_value", value)
        low, high = float(pair[0]), float(pair[1])
        ranges[name] = max(abs(low), abs(high))
    return ranges


def overflow_nodes(prepared: Path, ranges: dict, threshold: float) -> tuple[list[str], dict]:
    """Producers and consumers of every tensor whose magnitude on real images exceeds the threshold."""
    import onnx
    graph = onnx.load(str(prepared), load_external_data=False).graph
    large = {name: peak for name, peak in ranges.items() if peak > threshold}
    nodes = set()
    for node in graph.node:
        if any(t in large for t in list(node.input) + list(node.output)):
            nodes.add(node.name)
    return sorted(n for n in nodes if n), large


def convert_fp16(prepared: Path, out_path: Path, role: str, items: list[Item], block_ops: list[str],
                 threshold: float, scan: bool) -> dict:
    require("onnx", "numpy")
    import onnx
    convert, default_block = fp16_converter()
    op_block = sorted(set(default_block) | set(block_ops))
    node_block, large = [], {}
    if scan:
        require("onnxruntime")
        ranges = activation_ranges(prepared, role, items)
        node_block, large = overflow_nodes(prepared, ranges, threshold)
        log(f"fp16: {len(large)} tensors exceed {threshold:g} on {len(items)} images; {len(node_block)} nodes kept in FP32")
    model = onnx.load(str(prepared))
    converted = convert(model, keep_io_types=True, op_block_list=op_block, node_block_list=node_block)
    onnx.save(converted, str(out_path))
    log(f"fp16: {out_path.name} (op block list: {', '.join(sorted(set(block_ops))) or 'ORT default only'})")
    return {
        "converter": convert.__module__,
        "keep_io_types": True,
        "op_block_list_added": sorted(set(block_ops)),
        "node_block_list": node_block,
        "overflow_threshold": threshold,
        "overflowing_tensors": {k: round(v, 1) for k, v in sorted(large.items(), key=lambda kv: -kv[1])[:50]},
    }


def cuda_placement(model_path: Path, role: str, item: Item) -> dict | None:
    """Where each node runs on CUDA, from ORT's profile: CPU fallbacks and Memcpy nodes make FP16 slow."""
    import onnxruntime as ort
    if "CUDAExecutionProvider" not in ort.get_available_providers():
        return None
    options = ort.SessionOptions()
    options.enable_profiling = True
    with tempfile.TemporaryDirectory(prefix="scipix-prof-") as tmp:
        options.profile_file_prefix = str(Path(tmp) / "profile")
        session = ort.InferenceSession(str(model_path), options, providers=["CUDAExecutionProvider", "CPUExecutionProvider"])
        feed = {session.get_inputs()[0].name: tensor_for(role, read_bgr(item.image))}
        session.run(None, feed)
        profile = json.loads(Path(session.end_profiling()).read_text())
    placed: dict[str, dict[str, int]] = {}
    for event in profile:
        args = event.get("args", {})
        if event.get("cat") == "Node" and "provider" in args and event.get("name", "").endswith("_kernel_time"):
            by_op = placed.setdefault(args["provider"], {})
            by_op[args.get("op_name", "?")] = by_op.get(args.get("op_name", "?"), 0) + 1
    return placed


# ------------------------------------------------------------------------------------------------ scoring

def load_dictionary() -> list[str]:
    entries = DICTIONARY.read_text(encoding="utf-8").split("\n")
    entries = [e.rstrip("\r") for e in entries]
    if entries and entries[-1] == "":
        entries.pop()
    return [""] + entries + [" "]


def ctc_decode(steps, classes: list[str]) -> str:
    text, previous = [], -1
    for index in steps:
        index = int(index)
        if index != previous and index != 0 and index < len(classes):
            text.append(classes[index])
        previous = index
    return "".join(text)


def normalize(text: str, upper: bool = True) -> str:
    text = " ".join(text.split())
    return text.upper() if upper else text


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
        previous = current
    return previous[-1]


def session(path: Path, threads: int):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def score(fp32_path: Path, variant_path: Path, role: str, items: list[Item], threads: int) -> dict:
    """The variant against FP32 on held-out items (CPU ORT here: numbers of agreement, not of CUDA or C# speed)."""
    import numpy as np
    a, b = session(fp32_path, threads), session(variant_path, threads)
    name = a.get_inputs()[0].name
    time_a = time_b = 0.0
    if role == "rec":
        classes = load_dictionary()
        steps = disagree = same = 0
        errors_a = errors_b = errors_ab = chars = 0
        for item in items:
            x = line_tensor(read_bgr(item.image))
            t = time.perf_counter(); ya = a.run(None, {name: x})[0]; time_a += time.perf_counter() - t
            t = time.perf_counter(); yb = b.run(None, {name: x})[0]; time_b += time.perf_counter() - t
            ia, ib = ya[0].argmax(-1), yb[0].argmax(-1)
            steps += ia.size
            disagree += int((ia != ib).sum())
            ta, tb = normalize(ctc_decode(ia, classes)), normalize(ctc_decode(ib, classes))
            truth = normalize(item.truth)
            same += ta == tb
            errors_a += edit_distance(truth, ta)
            errors_b += edit_distance(truth, tb)
            errors_ab += edit_distance(ta, tb)
            chars += len(truth)
        cer_a, cer_b = errors_a / max(chars, 1), errors_b / max(chars, 1)
        result = {
            "items": len(items),
            "step_disagreement": round(disagree / max(steps, 1), 4),
            "same_text": round(same / max(len(items), 1), 4),
            "cer_vs_fp32_text": round(errors_ab / max(chars, 1), 4),
            "fp32_cer": round(cer_a, 4),
            "variant_cer": round(cer_b, 4),
            "relative_delta": round((cer_b - cer_a) / cer_a, 4) if cer_a > 0 else None,
            "gate_estimate": cer_b <= cer_a * 1.05,
        }
    elif role == "cls":
        agree = flips_a = flips_b = 0
        for item in items:
            x = line_tensor(read_bgr(item.image), CLS_WIDTH)
            t = time.perf_counter(); ya = a.run(None, {name: x})[0]; time_a += time.perf_counter() - t
            t = time.perf_counter(); yb = b.run(None, {name: x})[0]; time_b += time.perf_counter() - t
            ra, rb = bool(ya[0, 1] > 0.9), bool(yb[0, 1] > 0.9)
            agree += ra == rb
            flips_a += ra
            flips_b += rb
        result = {"items": len(items), "rotation_agreement": round(agree / max(len(items), 1), 4),
                  "fp32_rotated": flips_a, "variant_rotated": flips_b, "gate_estimate": agree == len(items)}
    else:
        ious = []
        for item in items:
            x = det_tensor(read_bgr(item.image))
            t = time.perf_counter(); ya = a.run(None, {name: x})[0]; time_a += time.perf_counter() - t
            t = time.perf_counter(); yb = b.run(None, {name: x})[0]; time_b += time.perf_counter() - t
            ma, mb = ya > DET_THRESHOLD, yb > DET_THRESHOLD
            union = np.logical_or(ma, mb).sum()
            ious.append(float(np.logical_and(ma, mb).sum() / union) if union else 1.0)
        result = {"items": len(items), "mask_iou_mean": round(float(np.mean(ious)), 4),
                  "mask_iou_min": round(float(np.min(ious)), 4), "gate_estimate": float(np.min(ious)) >= 0.95}
    result["ort_cpu_speed_ratio"] = round(time_a / time_b, 3) if time_b > 0 else None
    result["bytes"] = variant_path.stat().st_size
    return result


# ----------------------------------------------------------------------------------------------- search

def search_grid(role: str) -> list[Int8Config]:
    """Configurations for the search, cheapest and most promising first (the search stops at its time budget)."""
    if role == "rec":
        return [
            Int8Config("minmax-pc-last1-attnfp32", exclude_last=1, matmul_const_b_only=True, exclude_op_types=["Softmax"]),
            Int8Config("entropy-pc-last1-attnfp32", method="entropy", exclude_last=1, matmul_const_b_only=True, exclude_op_types=["Softmax"]),
            Int8Config("percentile-pc-last1-attnfp32", method="percentile", exclude_last=1, matmul_const_b_only=True, exclude_op_types=["Softmax"]),
            Int8Config("minmax-pc-conv-only", op_types=["Conv"]),
            Int8Config("entropy-pc-conv-only", method="entropy", op_types=["Conv"]),
            Int8Config("percentile-pc-conv-only", method="percentile", op_types=["Conv"]),
            Int8Config("minmax-pc-last2-attnfp32-rr", exclude_last=2, matmul_const_b_only=True, exclude_op_types=["Softmax"], reduce_range=True),
            Int8Config("minmax-pc-all", exclude_last=0),
        ]
    if role == "det":
        return [
            Int8Config("minmax-pc-last2", exclude_last=2, exclude_op_types=["Sigmoid"]),
            Int8Config("percentile-pc-last2", method="percentile", exclude_last=2, exclude_op_types=["Sigmoid"]),
            Int8Config("entropy-pc-last2", method="entropy", exclude_last=2, exclude_op_types=["Sigmoid"]),
            Int8Config("minmax-pc-last4-resizefp32", exclude_last=4, exclude_op_types=["Sigmoid", "Resize"]),
        ]
    return [
        Int8Config("minmax-pc-last1", exclude_last=1, exclude_op_types=["Softmax"]),
        Int8Config("percentile-pc-last1", method="percentile", exclude_last=1, exclude_op_types=["Softmax"]),
        Int8Config("minmax-pc-all"),
    ]


def rank(role: str, result: dict) -> tuple:
    """Best first: passes the estimate, then closest to FP32."""
    if role == "rec":
        return (not result["gate_estimate"], result["variant_cer"], result["step_disagreement"])
    if role == "cls":
        return (not result["gate_estimate"], -result["rotation_agreement"])
    return (not result["gate_estimate"], -result["mask_iou_min"], -result["mask_iou_mean"])


# ---------------------------------------------------------------------------------------- variants.json

def record(catalog: Path, variant: Path, base: str, precision: str, provenance: dict) -> None:
    data = json.loads(catalog.read_text(encoding="utf-8")) if catalog.is_file() else {"schema": 1, "variants": []}
    entries = data.setdefault("variants", [])
    entry = next((e for e in entries if e.get("file") == variant.name), None)
    sha = sha256_of(variant)
    if entry is None:
        entry = {"file": variant.name}
        entries.append(entry)
    if entry.get("sha256") != sha:
        entry["gate"] = []  # a new file has not been gated, whatever the old one was
    entry.update({"base": base, "precision": precision, "sha256": sha, "bytes": variant.stat().st_size})
    entry.setdefault("gate", [])
    entry["provenance"] = provenance
    catalog.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"recorded {variant.name} in {catalog} (sha256 {sha[:12]}..., gate results reset: {not entry['gate']})")


def provenance(command: str, model: Path, extra: dict) -> dict:
    return {
        "made": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "from": model.name,
        "from_sha256": sha256_of(model),
        "command": command,
        "host": f"{platform.node()} {platform.machine()}",
        "versions": versions(),
        **extra,
    }


# ----------------------------------------------------------------------------------------------- commands

def cmd_prepare(args) -> None:
    require("onnx")
    prepare(args.model, args.out, args.opset, pre_process=not args.no_pre_process)


def _prepared(args, role: str, work: Path) -> Path:
    if args.prepared and args.prepared.is_file():
        return args.prepared
    return prepare(args.model, work / f"{args.model.stem}.prepared.onnx", args.opset)


def _calibration(args, role: str) -> tuple[list[Item], list[Item]]:
    items = read_set(args.calibration_dir)
    calibration, held = split(items, args.calibration_count)
    if args.held_count:
        held = held[: args.held_count]
    log(f"{args.calibration_dir.name}: {len(calibration)} calibration items, {len(held)} held out")
    return calibration, held


def _int8_config(args) -> Int8Config:
    return Int8Config(
        name=args.name or f"{args.method}-{'pc' if args.per_channel else 'pt'}-last{args.exclude_last}",
        method=args.method, per_channel=args.per_channel, percentile=args.percentile,
        exclude_last=args.exclude_last, exclude_op_types=args.exclude_op_types, op_types=args.op_types,
        matmul_const_b_only=args.matmul_const_b_only, activation_symmetric=args.activation_symmetric,
        weight_symmetric=not args.weight_asymmetric, reduce_range=args.reduce_range,
        activation_type=args.activation_type, moving_average=args.moving_average)


def cmd_int8(args) -> None:
    require("onnxruntime", "onnx", "numpy")
    role = role_of(args.model, args.role)
    out = args.out or variant_name(args.model, "int8")
    calibration, held = _calibration(args, role)
    with tempfile.TemporaryDirectory(prefix="scipix-int8-") as tmp:
        prepared = _prepared(args, role, Path(tmp))
        details = quantize_int8(prepared, out, role, calibration, _int8_config(args))
        if held and not args.no_score:
            details["held_out"] = score(prepared, out, role, held, args.threads)
            log(f"held out: {json.dumps(details['held_out'])}")
    details["calibration"] = {"set": args.calibration_dir.name, "items": len(calibration), "pick": "sorted, index % 5 in {0, 2}"}
    if args.record:
        record(args.record, out, args.model.name, "int8", provenance(" ".join(sys.argv), args.model, details))


def cmd_fp16(args) -> None:
    require("onnx", "numpy")
    role = role_of(args.model, args.role)
    out = args.out or variant_name(args.model, "fp16")
    calibration, held = _calibration(args, role) if args.calibration_dir else ([], [])
    with tempfile.TemporaryDirectory(prefix="scipix-fp16-") as tmp:
        prepared = _prepared(args, role, Path(tmp))
        details = convert_fp16(prepared, out, role, calibration, args.block_ops, args.overflow_threshold,
                               scan=bool(calibration) and not args.no_scan)
        if held and not args.no_score:
            details["held_out"] = score(prepared, out, role, held, args.threads)
            log(f"held out (CPU ORT: FP16 ops without CPU kernels run in FP32 there; gate FP16 on CUDA): {json.dumps(details['held_out'])}")
        if held:
            placement = cuda_placement(out, role, held[0])
            details["cuda_placement"] = placement
            log("CUDA placement: " + (json.dumps(placement) if placement is not None else
                                      "skipped (this onnxruntime has no CUDAExecutionProvider)"))
    if args.record:
        record(args.record, out, args.model.name, "fp16", provenance(" ".join(sys.argv), args.model, details))


def cmd_search(args) -> None:
    require("onnxruntime", "onnx", "numpy")
    role = role_of(args.model, args.role)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    calibration, held = _calibration(args, role)
    started = time.time()
    results = []
    with tempfile.TemporaryDirectory(prefix="scipix-search-") as tmp:
        prepared = _prepared(args, role, Path(tmp))
        grid = search_grid(role)
        if args.only:
            grid = [c for c in grid if c.name in args.only]
        for config in grid:
            elapsed = time.time() - started
            if elapsed > args.time_budget:
                log(f"time budget ({args.time_budget} s) spent after {len(results)} configurations; stopping")
                break
            candidate = args.out_dir / f"{args.model.stem}.int8.{config.name}.onnx"
            try:
                details = quantize_int8(prepared, candidate, role, calibration, config)
                details["held_out"] = score(prepared, candidate, role, held, args.threads)
            except Exception as error:  # one failing configuration must not end the search
                log(f"{config.name} failed: {error!r}")
                results.append({"config": asdict(config), "error": repr(error)})
                continue
            log(f"{config.name}: {json.dumps(details['held_out'])}")
            results.append(details)
    scored = [r for r in results if "held_out" in r]
    scored.sort(key=lambda r: rank(role, r["held_out"]))
    report = {
        "model": args.model.name, "role": role, "versions": versions(),
        "calibration": {"set": args.calibration_dir.name, "items": len(calibration), "held_out": len(held)},
        "seconds": round(time.time() - started, 1),
        "best": scored[0]["config"]["name"] if scored else None,
        "results": scored + [r for r in results if "error" in r],
    }
    (args.out_dir / f"search-{role}.json").write_text(json.dumps(report, indent=2) + "\n")
    if scored:
        best = args.out_dir / f"{args.model.stem}.int8.{scored[0]['config']['name']}.onnx"
        final = variant_name(args.model, "int8") if args.install else args.out_dir / variant_name(args.model, "int8").name
        shutil.copyfile(best, final)
        log(f"best: {scored[0]['config']['name']} -> {final}")
        if args.record:
            details = dict(scored[0])
            details["calibration"] = report["calibration"] | {"pick": "sorted, index % 5 in {0, 2}"}
            details["search"] = [{"name": r["config"]["name"], **r.get("held_out", {})} for r in scored]
            record(args.record, final, args.model.name, "int8", provenance(" ".join(sys.argv), args.model, details))
    else:
        log("no configuration produced a model")


def cmd_check(args) -> None:
    require("onnxruntime", "onnx", "numpy")
    role = role_of(args.model, args.role)
    _, held = _calibration(args, role)
    print(json.dumps(score(args.model, args.variant, role, held, args.threads), indent=2))


def cmd_record(args) -> None:
    extra = json.loads(args.details) if args.details else {}
    record(args.catalog, args.variant, args.base, args.precision, provenance(args.command or " ".join(sys.argv), args.model, extra))


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = root.add_subparsers(dest="command", required=True)

    def common(p, calibration_required=True):
        p.add_argument("--model", type=Path, required=True, help="the FP32 model (models/ch_PP-OCRv4_rec_infer.onnx)")
        p.add_argument("--role", choices=ROLES, help="rec, det or cls (guessed from the file name)")
        p.add_argument("--calibration-dir", type=Path, required=calibration_required,
                       help="a set with manifest.tsv: ../shared/eval/sroie_lines (rec, cls) or sroie_pages (det)")
        p.add_argument("--calibration-count", type=int, default=120, help="calibration items (default 120)")
        p.add_argument("--held-count", type=int, default=0, help="score on at most this many held-out items (0: all)")
        p.add_argument("--opset", type=int, default=13, help="target opset of the prepare step (default 13)")
        p.add_argument("--prepared", type=Path, help="reuse a model `prepare` made")
        p.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="ORT threads for scoring")
        p.add_argument("--record", type=Path, help="add/update the variant in this variants.json")

    p = commands.add_parser("prepare", help="Constant nodes -> initializers, opset 13, quant_pre_process")
    p.add_argument("--model", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--opset", type=int, default=13)
    p.add_argument("--no-pre-process", action="store_true", help="skip quant_pre_process (needs only onnx)")
    p.set_defaults(func=cmd_prepare)

    p = commands.add_parser("int8", help="static QDQ INT8 (quantize_static)")
    common(p)
    p.add_argument("--out", type=Path, help="default: <stem>.int8.onnx beside the model")
    p.add_argument("--name", help="a label for this configuration")
    p.add_argument("--method", choices=("minmax", "entropy", "percentile", "distribution"), default="minmax")
    p.add_argument("--percentile", type=float, default=99.999, help="with --method percentile (CalibPercentile)")
    p.add_argument("--per-channel", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--exclude-last", type=int, default=0, help="keep the last N Conv/MatMul/Gemm/ConvTranspose in FP32")
    p.add_argument("--exclude-op-types", nargs="*", default=[], help="keep every node of these op types in FP32 (Softmax, Sigmoid, ...)")
    p.add_argument("--op-types", nargs="*", default=[], help="quantize only these op types (Conv: mixed precision)")
    p.add_argument("--matmul-const-b-only", action="store_true", help="attention MatMuls (two activations) stay FP32")
    p.add_argument("--activation-symmetric", action="store_true")
    p.add_argument("--weight-asymmetric", action="store_true")
    p.add_argument("--reduce-range", action="store_true", help="7-bit weights (ORT: may help on CPUs without VNNI)")
    p.add_argument("--activation-type", choices=("quint8", "qint8"), default="quint8")
    p.add_argument("--moving-average", action="store_true", help="MinMax with moving-average ranges")
    p.add_argument("--no-score", action="store_true", help="skip scoring against FP32 on held-out items")
    p.set_defaults(func=cmd_int8)

    p = commands.add_parser("fp16", help="FP16 with FP32 I/O; ops without FP16 kernels and overflowing nodes stay FP32")
    common(p, calibration_required=False)
    p.add_argument("--out", type=Path, help="default: <stem>.fp16.onnx beside the model")
    p.add_argument("--block-ops", nargs="*", default=["Resize", "Softmax", "Pow", "ReduceMean", "Sqrt"],
                   help="op types kept in FP32 besides ORT's DEFAULT_OP_BLOCK_LIST "
                        "(default: Resize Softmax Pow ReduceMean Sqrt; the LayerNorm pieces overflow first)")
    p.add_argument("--overflow-threshold", type=float, default=FP16_MAX / 4,
                   help="tensors whose magnitude on the calibration images exceeds this keep their nodes in FP32")
    p.add_argument("--no-scan", action="store_true", help="skip the overflow scan")
    p.add_argument("--no-score", action="store_true")
    p.set_defaults(func=cmd_fp16)

    p = commands.add_parser("search", help="a grid of INT8 configurations scored against FP32 on held-out items")
    common(p)
    p.add_argument("--out-dir", type=Path, required=True, help="candidates and search-<role>.json go here")
    p.add_argument("--time-budget", type=float, default=300, help="start no configuration after this many seconds")
    p.add_argument("--only", nargs="*", help="run only these configuration names")
    p.add_argument("--install", action="store_true", help="copy the best to <stem>.int8.onnx beside the model")
    p.set_defaults(func=cmd_search)

    p = commands.add_parser("check", help="score a variant against FP32 on held-out items")
    common(p)
    p.add_argument("--variant", type=Path, required=True)
    p.set_defaults(func=cmd_check)

    p = commands.add_parser("record", help="add or update a variant in variants.json")
    p.add_argument("--catalog", type=Path, default=HERE / "variants.json")
    p.add_argument("--variant", type=Path, required=True)
    p.add_argument("--model", type=Path, required=True, help="the FP32 model it was made from")
    p.add_argument("--base", required=True, help="the FP32 model's file name as the engine is configured")
    p.add_argument("--precision", choices=("int8", "fp16"), required=True)
    p.add_argument("--command", help="the command that made it")
    p.add_argument("--details", help="JSON object with more provenance")
    p.set_defaults(func=cmd_record)
    return root


def main(argv=None) -> None:
    args = parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
