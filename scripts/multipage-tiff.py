#!/usr/bin/env python3
"""Writes an uncompressed multi-page RGB TIFF (one dark band per page) for memory measurements of multi-page
documents: python3 scripts/multipage-tiff.py OUT PAGES WIDTH HEIGHT (docs/benchmarks.md)."""
import struct
import sys

out_path, pages, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
data = bytearray(b"II*\x00" + b"\x00" * 4)
link = 4
white, black = bytes([255]) * 3 * width, bytes([0]) * 3 * width
for page in range(pages):
    strip = len(data)
    for y in range(height):
        data += black if (y // 40) % 10 == page % 10 else white
    bits = len(data)
    data += struct.pack("<3H", 8, 8, 8)
    if len(data) % 2:
        data += b"\x00"
    struct.pack_into("<I", data, link, len(data))
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 3, bits), (259, 3, 1, 1), (262, 3, 1, 2),
               (273, 4, 1, strip), (277, 3, 1, 3), (278, 4, 1, height), (279, 4, 1, width * height * 3), (284, 3, 1, 1)]
    data += struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        data += struct.pack("<HHI", tag, kind, count)
        data += struct.pack("<HH", value, 0) if kind == 3 and count == 1 else struct.pack("<I", value)
    link = len(data)
    data += b"\x00" * 4
with open(out_path, "wb") as out:
    out.write(data)
