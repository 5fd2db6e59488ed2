#!/usr/bin/env python3
"""Where the time of ONNX Runtime's model runs went, from its profiles (Ocr:OrtProfilePrefix).

For each profile (one per session): the runs and their mean time, the time inside nodes per execution provider,
and the ops that took most, with the provider each ran on. A model meant for CUDA that shows its convolutions
under CPUExecutionProvider, or run times far above their node times, says where to look.

Usage: ort-profile-summary.py PROFILE.json...
"""
import collections
import json
import sys


def summarize(path):
    events = json.load(open(path))
    runs = [e["dur"] for e in events if e.get("cat") == "Session" and e.get("name") == "model_run"]
    by_provider = collections.Counter()
    by_op = collections.Counter()
    nodes = 0
    for event in events:
        if event.get("cat") != "Node" or not event.get("name", "").endswith("_kernel_time"):
            continue
        args = event.get("args", {})
        provider = args.get("provider", "?")
        by_provider[provider] += event["dur"]
        by_op[(args.get("op_name", "?"), provider)] += event["dur"]
        nodes += 1
    print(f"== {path}")
    if runs:
        print(f"runs: {len(runs)}, mean {sum(runs) / len(runs) / 1000:.2f} ms, total {sum(runs) / 1000:.1f} ms")
    total = sum(by_provider.values())
    print(f"node executions: {nodes}, time inside nodes {total / 1000:.1f} ms")
    for provider, micros in by_provider.most_common():
        print(f"  {provider}: {micros / 1000:.1f} ms ({100 * micros / max(total, 1):.0f} %)")
    print("ops taking most:")
    for (op, provider), micros in by_op.most_common(12):
        print(f"  {op:<24} {provider:<28} {micros / 1000:9.1f} ms")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    for name in sys.argv[1:]:
        summarize(name)
