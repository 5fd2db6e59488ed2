#!/usr/bin/env python3
"""How much of a recognizer batch's work is padding, by batch size, for a set of single-line crops.

Each crop needs a tensor 48 px high and 48 x its aspect ratio wide, at least the narrowest tensor (224 px by
default, Ocr:RecognizerMinWidth); a batch runs at its widest crop's width, its crops taken from one width bucket
(WidthBuckets.Standard), as the worker's scheduler does on the CPU. Prints, for each size, the tensor columns run
over the columns the crops need (1.058 = 5.8 % of the work is padding). Batches are drawn at random (fixed seed).

Usage: padding-by-batch.py SET_DIR [MIN_WIDTH]   (SET_DIR holds manifest.tsv and PNG crops, e.g. ../shared/eval/sroie_lines)
"""
import collections
import csv
import os
import random
import struct
import sys

BUCKETS = [320, 480, 640, 800, 960, 1280, 1600, 2048]


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def main(folder, min_width=224):
    with open(os.path.join(folder, "manifest.tsv"), newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))[1:]
    needed = []
    for row in rows:
        size = png_size(os.path.join(folder, row[0]))
        if size:
            width, height = size
            needed.append(max(min_width, int(48 * width / height)))
    widths = [min_width] + [b for b in BUCKETS if b > min_width]
    bucket_of = lambda n: next((b for b in widths if b >= n), n)
    by_bucket = collections.defaultdict(list)
    for n in needed:
        by_bucket[bucket_of(n)].append(n)
    print(f"{len(needed)} crops; per bucket: {dict(sorted((k, len(v)) for k, v in by_bucket.items()))}")
    rng = random.Random(1)
    for size in [1, 2, 3, 4, 5, 6, 8]:
        run = used = 0
        for _ in range(20000):
            first = rng.choice(needed)
            batch = [first] + rng.choices(by_bucket[bucket_of(first)], k=size - 1)
            run += max(batch) * size
            used += sum(batch)
        print(f"batch {size}: {run / used:.3f}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 224)
