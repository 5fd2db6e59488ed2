#!/usr/bin/env python3
"""How well the words' boxes of `scipix ocr --json` agree with SROIE's annotated boxes, on full receipt pages.

SROIE's annotators boxed runs of text (`TAN WOON YANN`, `TD01167104`), axis-aligned, one box a run. A word the engine
read is matched to the annotated box whose text holds it as a word (case-insensitive), where exactly one box does (a
misread word, or one the receipt prints in several places, is left out). For each match: whether the word's box is
centred inside the annotated box (2 px slack) and no wider than it (4 px slack), and, where the annotated box holds
that one word alone, the intersection over union of the two boxes' extents. Prints the totals over the set.

Usage: scipix ocr --json IMAGES... > out.json; word-boxes.py out.json BOXES_DIR   (e.g. ../shared/eval/sroie_pages/boxes)
"""
import csv
import json
import os
import sys


def extent(values):
    xs, ys = values[0::2], values[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def iou(a, b):
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def annotated(path):
    boxes = []
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        for row in csv.reader(f):
            if len(row) < 9:
                continue
            try:
                values = [float(v) for v in row[:8]]
            except ValueError:
                continue
            boxes.append((extent(values), ",".join(row[8:]).upper().split()))
    return boxes


def main(results_path, boxes_dir):
    with open(results_path, encoding="utf-8") as f:
        results = json.load(f)["results"]
    matched = inside = words = 0
    overlaps = []
    for result in results:
        stem = os.path.splitext(os.path.basename(result["file"]))[0]
        boxes = annotated(os.path.join(boxes_dir, stem + ".csv"))
        for page in result["pages"]:
            for line in page["lines"]:
                for word in line["words"]:
                    words += 1
                    text = word["text"].upper()
                    holding = [b for b in boxes if text in b[1]]
                    if len(text) < 2 or len(holding) != 1:
                        continue
                    matched += 1
                    box, its_words = holding[0]
                    mine = extent(word["box"])
                    x, y = (mine[0] + mine[2]) / 2, (mine[1] + mine[3]) / 2
                    centred = box[0] - 2 <= x <= box[2] + 2 and box[1] - 2 <= y <= box[3] + 2
                    narrower = mine[2] - mine[0] <= box[2] - box[0] + 4
                    inside += centred and narrower
                    if len(its_words) == 1:
                        overlaps.append(iou(mine, box))
    overlaps.sort()
    median = overlaps[len(overlaps) // 2] if overlaps else 0.0
    print(f"pages {len(results)}, words {words}, matched to one annotated box {matched}")
    print(f"centred in it and no wider: {inside} ({inside / max(1, matched):.1%})")
    print(f"IoU with boxes of one word: {len(overlaps)} boxes, mean {sum(overlaps) / max(1, len(overlaps)):.3f}, "
          f"median {median:.3f}, at least 0.5: {sum(o >= 0.5 for o in overlaps) / max(1, len(overlaps)):.1%}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
