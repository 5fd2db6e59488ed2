#!/usr/bin/env python3
"""Keeps one GPU architecture's kernels in a CUDA library's fat binary, so that it travels in less.

ONNX Runtime's CUDA provider (libonnxruntime_providers_cuda.so, 284 MB) holds its kernels compiled for
sm_75, 80, 86, 89, 90 and 120. A GPU loads only the entry built for its own architecture, so for one
machine the others are dead weight: this zeroes their payloads (every header stays, so the fat binary
still parses) and xz then squeezes them away. For sm_90 (H100, H200) the provider compresses to 52 MB
instead of 187 MB. Only for moving a build to a known GPU for a measurement: never ship the result.

Usage: prune-fatbin.py SOURCE.so DEST.so SM   (SM as a number: 90)
"""
import struct
import subprocess
import sys

FATBIN_MAGIC = 0xBA55ED50


def fatbin_section(path):
    for line in subprocess.check_output(["readelf", "-SW", path], text=True).splitlines():
        if ".nv_fatbin" in line:
            fields = line.split("]", 1)[1].split()
            return int(fields[3], 16), int(fields[4], 16)
    raise SystemExit(f"{path}: no .nv_fatbin section")


def main(source, dest, keep):
    data = bytearray(open(source, "rb").read())
    offset, size = fatbin_section(source)
    pos, end = offset, offset + size
    kept = zeroed = 0
    while pos < end:
        magic, _version, header_size, body_size = struct.unpack_from("<IHHQ", data, pos)
        if magic != FATBIN_MAGIC:  # alignment padding between fat binaries
            pos += 8
            continue
        entry, body_end = pos + header_size, pos + header_size + body_size
        while entry < body_end:
            _kind, _entry_version, entry_header, payload = struct.unpack_from("<HHIQ", data, entry)
            arch = struct.unpack_from("<I", data, entry + 28)[0]
            if arch == keep:
                kept += payload
            else:
                data[entry + entry_header:entry + entry_header + payload] = bytes(payload)
                zeroed += payload
            entry += entry_header + payload
        pos = body_end
    if kept == 0:
        raise SystemExit(f"{source}: no kernels for sm_{keep}")
    open(dest, "wb").write(data)
    print(f"sm_{keep}: kept {kept / 1e6:.1f} MB of kernels, zeroed {zeroed / 1e6:.1f} MB")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
