#!/usr/bin/env python3
"""Makes a set of scanned pages whose paragraphs are known, to measure how a page's lines are split into paragraphs.

Each page is set by groff -ms from sentences of a text file, in one of four styles (first lines indented with no space
between paragraphs; block paragraphs with space between them; block paragraphs set close; a numbered list whose items
hang, between two paragraphs), in Times or Helvetica, one or two columns, printed by Ghostscript at 150 or 200 dpi and
skewed a little as a scanner feeds a page, then saved as JPEG. Beside each page its ground truth: one paragraph a line
(a list item's number first), as tests/fixtures/layout/*.gt.txt.

    python3 scripts/paragraph-pages.py TEXT OUT [--pages N] [--seed S]
    scipix ocr OUT/images --json > read.json
    python3 scripts/paragraph-pages.py TEXT OUT --score read.json

TEXT: prose; its sentences of 5 to 40 plain words (no code, paths or tables) are drawn from. OUT gets images/NNN.jpg,
gt/NNN.txt, sources/NNN.ms and a manifest.tsv as the shared evaluation sets have. Needs groff, ghostscript, imagemagick, qpdf.
"""
import argparse
import difflib
import json
import os
import random
import re
import subprocess
import tempfile

STYLES = ["indented", "spaced", "close", "list"]


def sentences(path):
    found = []
    with open(path, encoding="utf-8") as text:
        for line in text:
            line = re.sub(r"[`*]", "", line).strip()
            for sentence in re.split(r"(?<=[.!?])\s+", line):
                # Prose only: a capital first, plain words and punctuation, no tables, code or paths.
                if 5 <= len(sentence.split()) <= 40 and sentence[0].isupper() and sentence[-1] in ".!?" \
                        and re.fullmatch(r"[A-Za-z0-9 ,.;:'()!?%-]+", sentence):
                    found.append(sentence)
    return found


def page(rng, pool, style):
    font = rng.choice(["T", "H"])
    columns = rng.choice([1, 1, 2])
    paragraphs = []
    lines = [".nr PO 0.6i", ".nr LL %.1fi" % rng.choice([5.0, 5.8, 6.2]), ".nr HM 0.5i", ".nr FM 0.5i", ".pl 11i",
             ".nr HY 0", ".fam %s" % font, ".nr PI %dn" % rng.choice([3, 5])]
    lines.append(".nr PD %s" % {"indented": "0", "spaced": "1v", "close": "0", "list": "0.5v"}[style])
    title = " ".join(rng.choice(pool).split()[:rng.randint(3, 6)]).rstrip(",.;:")
    lines += [".TL", title]
    paragraphs.append(title)
    if columns == 2:
        lines.append(".2C")
    macro = {"indented": ".PP", "spaced": ".LP", "close": ".LP", "list": ".LP"}[style]
    count = rng.randint(3, 6) if columns == 1 else rng.randint(5, 9)
    for k in range(count):
        body = [rng.choice(pool) for _ in range(rng.randint(1, 3))]
        if style == "list" and 0 < k < count - 1:
            label = "%d." % k
            lines += [".nr PD 0", ".IP %s" % label] + body
            paragraphs.append(label + " " + " ".join(body))
            if k == count - 2:
                lines.append(".nr PD 0.5v")
        else:
            lines += [macro] + body
            paragraphs.append(" ".join(body))
    return "\n".join(lines) + "\n", paragraphs


def score(folder, results):
    """Matches each page's paragraphs as read (scipix ocr --json) to its ground truth, in order: a pair matches where
    their texts agree by difflib's ratio of at least 0.9 (a misread word or a hyphen leaves a paragraph found; a split
    or a join does not). Prints the paragraphs found, read and expected, and the pages read exactly."""
    with open(results, encoding="utf-8") as f:
        read = json.load(f)["results"]
    totals = {"expected": 0, "read": 0, "matched": 0, "exact": 0}
    for result in read:
        name = os.path.splitext(os.path.basename(result["file"]))[0]
        with open(os.path.join(folder, "gt", name + ".txt"), encoding="utf-8") as f:
            expected = [line.strip() for line in f if line.strip()]
        page = result["pages"][0]
        lines = [line["text"] for line in page["lines"]]
        found = [" ".join(lines[p["firstLine"]:p["firstLine"] + p["lineCount"]]) for p in page["paragraphs"]]
        # Longest run of matching pairs in order (as a longest common subsequence).
        best = [[0] * (len(found) + 1) for _ in range(len(expected) + 1)]
        for i in range(len(expected) - 1, -1, -1):
            for j in range(len(found) - 1, -1, -1):
                same = difflib.SequenceMatcher(None, expected[i], found[j], autojunk=False).ratio() >= 0.9
                best[i][j] = max(best[i + 1][j], best[i][j + 1], best[i + 1][j + 1] + 1 if same else 0)
        matched = best[0][0]
        totals["expected"] += len(expected)
        totals["read"] += len(found)
        totals["matched"] += matched
        totals["exact"] += matched == len(expected) == len(found)
    print("pages %d, exactly split %d; paragraphs expected %d, read %d, found %d: recall %.1f %%, precision %.1f %%" % (
        len(read), totals["exact"], totals["expected"], totals["read"], totals["matched"],
        100 * totals["matched"] / totals["expected"], 100 * totals["matched"] / max(totals["read"], 1)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("text")
    parser.add_argument("out")
    parser.add_argument("--pages", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--score", metavar="JSON", help="score scipix ocr --json's output for the set OUT instead of making it")
    args = parser.parse_args()
    if args.score:
        score(args.out, args.score)
        return
    rng = random.Random(args.seed)
    pool = sentences(args.text)
    for folder in ("images", "gt", "sources"):
        os.makedirs(os.path.join(args.out, folder), exist_ok=True)
    manifest = ["image\tground_truth\tnchars"]
    with tempfile.TemporaryDirectory() as work:
        for n in range(args.pages):
            style = STYLES[n % len(STYLES)]
            pdf = os.path.join(work, "p.pdf")
            while True:
                # A page whose text runs onto a second is drawn again: the ground truth is one page's.
                source, paragraphs = page(rng, pool, style)
                ps = subprocess.run(["groff", "-Tps", "-ms"], input=source.encode(), capture_output=True, check=True).stdout
                subprocess.run(["ps2pdf", "-", pdf], input=ps, check=True)
                pages = subprocess.run(["qpdf", "--show-npages", pdf], capture_output=True, check=True, text=True).stdout
                if int(pages) == 1:
                    break
            name = "%03d" % n
            with open(os.path.join(args.out, "sources", name + ".ms"), "w", encoding="utf-8") as f:
                f.write(source)
            png = os.path.join(work, "p.png")
            dpi = rng.choice([150, 200])
            subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pnggray", "-r%d" % dpi, "-dFirstPage=1",
                            "-dLastPage=1", "-sOutputFile=" + png, pdf], check=True)
            skew = "%.1f" % rng.uniform(-1.2, 1.2)
            subprocess.run(["convert", png, "-trim", "-bordercolor", "white", "-border", "60", "-background", "white",
                            "-rotate", skew, "-quality", "80", os.path.join(args.out, "images", name + ".jpg")], check=True)
            text = "\n".join(paragraphs) + "\n"
            with open(os.path.join(args.out, "gt", name + ".txt"), "w", encoding="utf-8") as f:
                f.write(text)
            manifest.append("images/%s.jpg\tgt/%s.txt\t%d" % (name, name, len(text)))
    with open(os.path.join(args.out, "manifest.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(manifest) + "\n")


if __name__ == "__main__":
    main()
