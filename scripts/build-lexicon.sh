#!/usr/bin/env bash
# Rebuilds the word list the recognizer's lexicon correction reads (src/ScipixWorker.Ocr/Recognition/Lexicon/lexicon.txt.gz)
# from its sources: SCOWL's size-50 American and British lists as Debian packages them (wamerican, wbritish
# 2020.12.07-2) and the Indonesian/Malay word lists of @zxcvbn-ts/language-id 4.1.1 (npm). Needs apt-get, dpkg, npm,
# python3 and gzip; the output is byte for byte the committed file. Not part of the build: run it to change the list.
#
# Lines: lower-case English words (ASCII letters, no possessives), which a misread word may become; then, with a
# capital first letter, names, which it writes only on stronger evidence: English names and abbreviations (SCOWL's entries with
# a capital letter that are not also words) and Indonesian/Malay words and names (zxcvbn-ts' common words, Wikipedia
# words and names, ASCII letters only) that are not English words.
set -euo pipefail

out="$(cd "$(dirname "$0")/.." && pwd)/src/ScipixWorker.Ocr/Recognition/Lexicon/lexicon.txt.gz"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

apt-get download wamerican=2020.12.07-2 wbritish=2020.12.07-2 >/dev/null
for deb in ./*.deb; do dpkg -x "$deb" deb; done
npm pack --silent @zxcvbn-ts/language-id@4.1.1 >/dev/null
tar xzf zxcvbn-ts-language-id-4.1.1.tgz

python3 - deb/usr/share/dict/american-english deb/usr/share/dict/british-english package/src > lexicon.txt <<'PY'
import json, re, sys

american, british, malay = sys.argv[1:4]
entries = set()
for path in (american, british):
    with open(path, encoding="utf-8") as f:
        entries |= {line.strip() for line in f if re.fullmatch(r"[A-Za-z]+", line.strip())}

words = {e for e in entries if e.islower()}
known = {e.lower() for e in entries if not e.islower()}
for name in ("commonWords.json", "wikipedia.json", "names.json"):
    with open(f"{malay}/{name}", encoding="utf-8") as f:
        known |= {w.lower() for w in json.load(f) if re.fullmatch(r"[A-Za-z]+", w)}

known -= words
lines = sorted(words) + sorted(k[0].upper() + k[1:] for k in known)
sys.stdout.write("\n".join(sorted(lines, key=str.lower)) + "\n")
PY

gzip -9 -n -c lexicon.txt > "$out"
echo "wrote $out: $(grep -c '^[a-z]' lexicon.txt) words, $(grep -c '^[A-Z]' lexicon.txt) known only"
