#!/usr/bin/env python3
"""Typesets a text file as a PDF in a Type 3 bitmap font, the way TeX documents of the 1990s and 2000s reached PDF.

dvips embeds TeX's PK fonts (bitmaps at the printer's resolution) as PostScript Type 3 fonts whose glyphs are image
masks and whose glyph names are a0, a1, ... (by code); ps2pdf keeps them as PDF Type 3 fonts, each glyph an inline
image mask (CCITT G4), and Ghostscript's ToUnicode map then reads those names as Zapf Dingbats' ("Invoice" becomes
"■♥✈♦✐❝❡"). This script does the same with Ghostscript alone: each printable ASCII character of Times-Roman is rendered
at --resolution dpi into a bitmap (gs -sDEVICE=pbmraw), the bitmaps become a Type 3 font named by code (/a33 ... /a126),
and the text, one line of the file a line of the page, a word at a time (as TeX places them), is run through ps2pdf.

  python3 scripts/type3-bitmap-pdf.py TEXT OUT.pdf [--resolution 300] [--size 10] [--no-tounicode] [--outline-font] [--vector] [--bold-heading]

--no-tounicode leaves Ghostscript's map out (older Ghostscript wrote none: readers then have only the names);
--outline-font typesets the same words in Times-Roman itself (a text layer that names its text: the comparison);
--vector draws each glyph of the Type 3 font with Times-Roman's outline, filled (paths, not bitmaps; named as above);
--bold-heading sets the first line in a second bitmap font, of Times-Bold (a font of its own, as TeX's bold face is).
Needs Ghostscript (gs, ps2pdf) and qpdf; writes the PDF without object streams.
"""
import argparse
import os
import subprocess
import tempfile

import pbm

FIRST, LAST = 33, 126


def render(workdir, resolution, size, face="Times-Roman"):
    """Each character's bitmap: (advance, left, bottom, width, height, hex rows), in pixels, from its origin."""
    cell = round(3 * size * resolution / 72)
    origin = (cell // 5, cell * 7 // 10)  # from the top-left corner, in pixels
    ps = os.path.join(workdir, "render.ps")
    with open(ps, "w") as f:
        f.write(f"""/{face} findfont {size} scalefont setfont
{FIRST} 1 {LAST} {{ /c exch def /s 1 string def s 0 c put
  s stringwidth pop =only (\\n) print
  newpath {origin[0] * 72 / resolution} {(cell - origin[1]) * 72 / resolution} moveto s show showpage }} for
""")
    out = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pbmraw", f"-r{resolution}", f"-g{cell}x{cell}",
                          f"-sOutputFile={workdir}/{face}%03d.pbm", ps], check=True, capture_output=True, text=True).stdout
    advances = [float(w) for w in out.split()]
    glyphs = {}
    for i, code in enumerate(range(FIRST, LAST + 1)):
        with open(f"{workdir}/{face}{i + 1:03d}.pbm", "rb") as f:
            w, h, bits = pbm.parse(f.read())
        stride = (w + 7) // 8
        ink = [(x, y) for y in range(h) for x in range(w) if bits[y * stride + x // 8] & (0x80 >> (x % 8))]
        x0, x1 = min(p[0] for p in ink), max(p[0] for p in ink)
        y0, y1 = min(p[1] for p in ink), max(p[1] for p in ink)
        rows = []
        for y in range(y0, y1 + 1):
            row = bytearray((x1 - x0 + 8) // 8)
            for x in range(x0, x1 + 1):
                if bits[y * stride + x // 8] & (0x80 >> (x % 8)):
                    row[(x - x0) // 8] |= 0x80 >> ((x - x0) % 8)
            rows.append(row.hex())
        advance = round(advances[i] * resolution / 72)
        glyphs[code] = (advance, x0 - origin[0], origin[1] - y1 - 1, x1 - x0 + 1, y1 - y0 + 1, "".join(rows))
    return glyphs


def bitmap_font(name, glyphs):
    """A PostScript Type 3 font of the bitmaps, its glyphs named a33 ... a126 by code, as dvips names a PK font's."""
    ps = [f"/{name} 10 dict begin /FontType 3 def /FontMatrix [1 0 0 1 0 0] def",
          f"/FontBBox [{min(g[1] for g in glyphs.values())} {min(g[2] for g in glyphs.values())} "
          f"{max(g[1] + g[3] for g in glyphs.values())} {max(g[2] + g[4] for g in glyphs.values())}] def",
          "/Encoding 256 array def 0 1 255 {Encoding exch /.notdef put} for"]
    ps += [f"Encoding {c} /a{c} put" for c in glyphs]
    ps.append(f"/Glyphs {len(glyphs)} dict def")
    ps += [f"Glyphs /a{c} [{g[0]} {g[1]} {g[2]} {g[3]} {g[4]} <{g[5]}>] put" for c, g in glyphs.items()]
    ps.append(f"""/BuildGlyph {{ 8 dict begin exch /Glyphs get exch get aload pop
  /bits exch def /h exch def /w exch def /lly exch def /llx exch def /wx exch def
  wx 0 llx lly llx w add lly h add setcachedevice
  w h true [1 0 0 -1 llx neg lly h add] {{bits}} imagemask end }} def
/BuildChar {{ 1 index /Encoding get exch get 1 index /BuildGlyph get exec }} def
currentdict end /{name} exch definefont pop""")
    return ps


def typeset(glyphs, lines, path, workdir, resolution, size, outline, vector, heading=None):
    unit = 72 / resolution
    space = size / 4  # points
    ps = ["%!PS-Adobe-3.0"] + bitmap_font("T3Bitmap", glyphs) + (bitmap_font("T3Heading", heading) if heading else [])
    if vector:
        # The same font's glyphs drawn as paths: each procedure fills the outline of Times-Roman's character.
        ps.append("""/T3Vector 10 dict begin /FontType 3 def /FontMatrix [0.001 0 0 0.001 0 0] def /FontBBox [-170 -220 1000 900] def
/Encoding 256 array def 0 1 255 {Encoding exch /.notdef put} for""")
        ps += [f"Encoding {c} /a{c} put" for c in glyphs]
        ps.append("""/BuildChar { exch pop 8 dict begin /s 1 string def s 0 3 -1 roll put
  /Times-Roman findfont 1000 scalefont setfont
  s stringwidth 0 0 moveto s true charpath flattenpath pathbbox setcachedevice
  newpath 0 0 moveto s true charpath fill end } def
currentdict end /T3Vector exch definefont pop""")
    font = (f"/Times-Roman findfont {size} scalefont setfont" if outline
            else f"/T3Vector findfont {size} scalefont setfont" if vector
            else f"/T3Bitmap findfont {unit} scalefont setfont")
    # Each line of the file starts a line of the page; one longer than the 468 points between the margins goes on over the
    # next (wrapped between words).
    pages, page, y = [], [], 792 - 72
    for number, line in enumerate(lines):
        # A heading (the first line, --bold-heading) in a bitmap font of its own, as TeX's bold face is.
        bold = heading is not None and number == 0
        page.append(f"/T3Heading findfont {unit} scalefont setfont" if bold else font)
        x = None
        for word in line.split():
            word = "".join(c for c in word if FIRST <= ord(c) <= LAST)
            if not word:
                continue
            width = sum((heading if bold else glyphs)[ord(c)][0] for c in word) * unit
            if x is None or (x + width > 612 - 72 and x > 72):
                if x is not None:
                    y -= size * 1.4
                if y < 72:
                    pages.append(page)
                    page, y = [], 792 - 72
                x = 72.0
            escaped = word.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            page.append(f"{x:.2f} {y:.2f} moveto ({escaped}) show")
            x += width + space
        y -= size * 1.4
    pages.append(page)
    for page in pages:
        ps += [font] + page + ["showpage"]
    source = os.path.join(workdir, "doc.ps")
    with open(source, "w") as f:
        f.write("\n".join(ps) + "\n")
    made = os.path.join(workdir, "doc.pdf")
    subprocess.run(["ps2pdf", "-sPAPERSIZE=letter", source, made], check=True)
    subprocess.run(["qpdf", "--object-streams=disable", made, path], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("text")
    parser.add_argument("out")
    parser.add_argument("--resolution", type=int, default=300)
    parser.add_argument("--size", type=float, default=10)
    parser.add_argument("--no-tounicode", action="store_true")
    parser.add_argument("--outline-font", action="store_true")
    parser.add_argument("--vector", action="store_true")
    parser.add_argument("--bold-heading", action="store_true")
    args = parser.parse_args()
    with open(args.text, encoding="utf-8") as f:
        lines = [line for line in f.read().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        heading = render(tmp, args.resolution, args.size, "Times-Bold") if args.bold_heading else None
        typeset(render(tmp, args.resolution, args.size), lines, args.out, tmp, args.resolution, args.size, args.outline_font,
                args.vector, heading)
    if args.no_tounicode:
        # The key renamed in place (same length, so the cross-reference offsets hold): readers no longer see the map.
        with open(args.out, "rb") as f:
            data = f.read()
        with open(args.out, "wb") as f:
            f.write(data.replace(b"/ToUnicode ", b"/ToUnicodX "))


if __name__ == "__main__":
    main()
