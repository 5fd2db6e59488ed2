#!/usr/bin/env python3
"""Wraps a bilevel scan in a PDF as a JBIG2 image (/JBIG2Decode), the way scanners and Acrobat write them.

A test-fixture encoder for the worker's JBIG2 support: a small, lossless JBIG2 (ITU-T T.88) encoder with arithmetic (MQ)
coding, Python's standard library only, written so that jbig2dec decodes every stream it makes to exactly the input.

  python3 scripts/jbig2-pdf.py INPUT.pbm OUTPUT.pdf [--mode generic|symbols] [--dpi 300] [--tile 16]
                               [--decode-inverted] [--end-of-page] [--dump-streams DIR]

INPUT is a binary PBM (P4, 1 = black), e.g. `convert scan.png -threshold 55% pbm:INPUT.pbm`.
--mode generic (default): the page stream is a page information segment, one immediate generic region (template 0,
  TPGDON 0, the default AT pixels) holding the whole page; no globals.
--mode symbols (as Acrobat and jbig2enc's symbol mode): the page is cut into --tile x --tile tiles, blank tiles (all 0
  in the bits encoded, the page's default pixel) are dropped and each distinct tile bitmap becomes one symbol of a
  symbol dictionary, in a separate globals stream (/DecodeParms << /JBIG2Globals ... >>); the page stream places the
  tiles with one text region, a strip per tile row.
--decode-inverted writes /Decode [1 0] on the image and encodes the inverted bits, so the page looks the same.
--dpi sets the page size (pixels * 72 / dpi points) and the resolution in the page information segment.
--end-of-page ends the page stream with an end-of-page segment, as some writers do although ISO 32000-1 7.4.7 says
  end-of-page segments shall not be used in PDF (jbig2enc's PDF mode writes none, and neither does the default here;
  poppler reports one as an "Unknown segment type" and skips it; jbig2dec reads either form).
--dump-streams DIR also writes the embedded streams, DIR/page.jbig2 and (symbols mode) DIR/globals.jbig2, which
  `jbig2dec -e -t pbm -o OUT.pbm [DIR/globals.jbig2] DIR/page.jbig2` decodes.
"""
import argparse
import os
import struct

import pbm

# T.88 Table E.1: Qe, NMPS, NLPS, SWITCH for each of the 47 states of the MQ coder.
QE_TABLE = [
    (0x5601, 1, 1, 1), (0x3401, 2, 6, 0), (0x1801, 3, 9, 0), (0x0AC1, 4, 12, 0), (0x0521, 5, 29, 0),
    (0x0221, 38, 33, 0), (0x5601, 7, 6, 1), (0x5401, 8, 14, 0), (0x4801, 9, 14, 0), (0x3801, 10, 14, 0),
    (0x3001, 11, 17, 0), (0x2401, 12, 18, 0), (0x1C01, 13, 20, 0), (0x1601, 29, 21, 0), (0x5601, 15, 14, 1),
    (0x5401, 16, 14, 0), (0x5101, 17, 15, 0), (0x4801, 18, 16, 0), (0x3801, 19, 17, 0), (0x3401, 20, 18, 0),
    (0x3001, 21, 19, 0), (0x2801, 22, 19, 0), (0x2401, 23, 20, 0), (0x2201, 24, 21, 0), (0x1C01, 25, 22, 0),
    (0x1801, 26, 23, 0), (0x1601, 27, 24, 0), (0x1401, 28, 25, 0), (0x1201, 29, 26, 0), (0x1101, 30, 27, 0),
    (0x0AC1, 31, 28, 0), (0x09C1, 32, 29, 0), (0x08A1, 33, 30, 0), (0x0521, 34, 31, 0), (0x0441, 35, 32, 0),
    (0x02A1, 36, 33, 0), (0x0221, 37, 34, 0), (0x0141, 38, 35, 0), (0x0111, 39, 36, 0), (0x0085, 40, 37, 0),
    (0x0049, 41, 38, 0), (0x0025, 42, 39, 0), (0x0015, 43, 40, 0), (0x0009, 44, 41, 0), (0x0005, 45, 42, 0),
    (0x0001, 45, 43, 0), (0x5601, 46, 46, 0),
]

# Segment types (T.88 7.3).
SYMBOL_DICTIONARY, IMMEDIATE_TEXT_REGION, IMMEDIATE_GENERIC_REGION, PAGE_INFORMATION, END_OF_PAGE = 0, 6, 38, 48, 49
# The default AT pixels of generic template 0, as signed bytes: (3,-1), (-3,-1), (2,-2), (-2,-2).
DEFAULT_AT = struct.pack(">8b", 3, -1, -3, -1, 2, -2, -2, -2)
# Ranges of the integer arithmetic coder (T.88 Table A.1): prefix bits, number of value bits, first value.
INT_RANGES = [([0], 2, 0), ([1, 0], 4, 4), ([1, 1, 0], 6, 20), ([1, 1, 1, 0], 8, 84), ([1, 1, 1, 1, 0], 12, 340),
              ([1, 1, 1, 1, 1], 32, 4436)]


def contexts(n):
    """n coding contexts, each a byte: state index << 1 | MPS, all starting at index 0 with MPS 0."""
    return bytearray(n)


class MQEncoder:
    """The arithmetic encoder of T.88 Annex E (the MQ coder, as JPEG 2000's)."""

    def __init__(self):
        self.a, self.c, self.ct = 0x8000, 0, 12
        self.out = bytearray([0])  # out[-1] is the byte B being written; out[0] a dummy byte that absorbs nothing

    def encode(self, ctx, cx, d):
        """Codes decision d (0 or 1) in context cx of ctx (CODEMPS / CODELPS with conditional exchange)."""
        index, mps = ctx[cx] >> 1, ctx[cx] & 1
        qe, nmps, nlps, switch = QE_TABLE[index]
        self.a -= qe
        if d == mps:
            if self.a & 0x8000:
                self.c += qe
                return
            if self.a < qe:
                self.a = qe
            else:
                self.c += qe
            ctx[cx] = nmps << 1 | mps
        else:
            if self.a < qe:
                self.c += qe
            else:
                self.a = qe
            ctx[cx] = nlps << 1 | (mps ^ switch)
        while True:  # RENORME
            self.a <<= 1
            self.c <<= 1
            self.ct -= 1
            if self.ct == 0:
                self.byte_out()
            if self.a & 0x8000:
                break

    def byte_out(self):
        """BYTEOUT: moves the top bits of C to the output, propagating a carry and stuffing a bit after 0xFF."""
        out = self.out
        if out[-1] != 0xFF and self.c >= 0x8000000:  # carry into the last byte
            out[-1] += 1
            self.c &= 0x7FFFFFF
        if out[-1] == 0xFF:
            out.append(self.c >> 20)
            self.c &= 0xFFFFF
            self.ct = 7
        else:
            out.append(self.c >> 19)
            self.c &= 0x7FFFF
            self.ct = 8

    def finish(self):
        """FLUSH (SETBITS, two BYTEOUTs), then the 0xFF 0xAC marker; the coded bytes."""
        top = self.c + self.a
        self.c |= 0xFFFF
        if self.c >= top:
            self.c -= 0x8000
        for _ in range(2):
            self.c <<= self.ct
            self.byte_out()
        if self.out[-1] != 0xFF:
            self.out.append(0xFF)
        self.out.append(0xAC)
        return bytes(self.out[1:])


def encode_int(coder, ctx, value):
    """The integer arithmetic coding procedure (T.88 A.2) in 512 contexts ctx; value None codes OOB."""
    sign, magnitude = (1, 0) if value is None else (int(value < 0), abs(value))
    prefix, nbits, first = next(r for r in INT_RANGES if magnitude < r[2] + (1 << r[1]))
    prev = 1
    for d in [sign] + prefix + [(magnitude - first) >> i & 1 for i in reversed(range(nbits))]:
        coder.encode(ctx, prev, d)
        prev = (prev << 1 | d) if prev < 256 else ((prev << 1 | d) & 511) | 256


def encode_iaid(coder, ctx, codelen, value):
    """The symbol ID coding procedure (T.88 A.3): codelen bits, most significant first."""
    prev = 1
    for i in reversed(range(codelen)):
        d = value >> i & 1
        coder.encode(ctx, prev, d)
        prev = prev << 1 | d


def encode_generic(coder, ctx, rows, width):
    """A generic region (T.88 6.2), template 0 with the default AT pixels, TPGDON 0; rows are lists of 0/1.

    The context is jbig2dec's (and the spec's) 16 bits: bit 0..3 the pixels x-1..x-4 of this row, bit 4..10 the pixels
    x+3..x-3 of the row above (bit 4 is A1, bit 10 A2), bit 11..15 the pixels x+2..x-2 two rows above (A3, A4).
    Pixels outside the bitmap are 0; each row is padded with 4 zeros on the left and 5 on the right.
    """
    encode = coder.encode
    above2 = above1 = [0] * (width + 9)
    for row in rows:
        line = [0] * 4 + row + [0] * 5
        w2 = w1 = w0 = 0  # windows: x-2..x+2 two rows up, x-3..x+3 one row up, x-4..x-1 in this row
        for i in range(2, 7):
            w2 = w2 << 1 | above2[i]
        for i in range(1, 8):
            w1 = w1 << 1 | above1[i]
        for x in range(width):
            d = line[x + 4]
            encode(ctx, w2 << 11 | w1 << 4 | w0, d)
            w2 = (w2 << 1 & 0x1F) | above2[x + 7]
            w1 = (w1 << 1 & 0x7F) | above1[x + 8]
            w0 = (w0 << 1 & 0xF) | d
        above2, above1 = above1, line


def segment(number, kind, data, page, refers_to=()):
    """A segment: its header (T.88 7.2; 1-byte page association and referred-to numbers), then its data."""
    header = struct.pack(">IBB", number, kind, len(refers_to) << 5) + bytes(refers_to)
    return header + struct.pack(">BI", page, len(data)) + data


def region_info(width, height):
    """Region segment information (T.88 7.4.1): the whole page, at (0, 0), combined with OR."""
    return struct.pack(">IIIIB", width, height, 0, 0, 0)


def page_segments(width, height, dpi, end_of_page, first, kind, region, refers_to=()):
    """A page's segments, numbered from first (segment numbers are shared with the globals): page information
    (T.88 7.4.8: size, resolution in pixels per metre, flags: eventually lossless), the region, end of page if asked."""
    resolution = round(dpi / 0.0254)
    info = struct.pack(">IIIIBH", width, height, resolution, resolution, 1, 0)
    page = segment(first, PAGE_INFORMATION, info, 1) + segment(first + 1, kind, region, 1, refers_to)
    return (page + segment(first + 2, END_OF_PAGE, b"", 1)) if end_of_page else page


def generic_page(bitmap, width, height, dpi, end_of_page):
    """The page stream of generic mode: page information, an immediate generic region (and end of page)."""
    coder = MQEncoder()
    encode_generic(coder, contexts(1 << 16), bitmap, width)
    region = region_info(width, height) + bytes([0]) + DEFAULT_AT + coder.finish()
    return page_segments(width, height, dpi, end_of_page, 0, IMMEDIATE_GENERIC_REGION, region)


def cut_tiles(bitmap, width, height, tile):
    """The page cut into tiles: per tile row (y, [(x, key)]) without blank tiles, and the distinct tile bitmaps.

    A key is (height, width, rows as tuples); blank tiles are those all 0, the page's default pixel.
    """
    strips, shapes = [], {}
    for y in range(0, height, tile):
        placed = []
        for x in range(0, width, tile):
            rows = tuple(tuple(row[x:x + tile]) for row in bitmap[y:y + tile])
            if any(map(any, rows)):
                key = (len(rows), len(rows[0]), rows)
                shapes.setdefault(key, len(shapes))
                placed.append((x, key))
        if placed:
            strips.append((y, placed))
    return strips, shapes


def symbol_dictionary(symbols):
    """A symbol dictionary segment's data (T.88 6.5, 7.4.2): arithmetic, no refinement/aggregation, template 0.

    symbols are (height, width, rows), sorted by height: one height class per height, every symbol exported.
    """
    coder = MQEncoder()
    iadh, iadw, iaex, gb = contexts(512), contexts(512), contexts(512), contexts(1 << 16)
    class_height, i = 0, 0
    while i < len(symbols):
        height = symbols[i][0]
        encode_int(coder, iadh, height - class_height)  # HCDH
        class_height, symbol_width = height, 0
        while i < len(symbols) and symbols[i][0] == height:
            _, width, rows = symbols[i]
            encode_int(coder, iadw, width - symbol_width)  # DW
            symbol_width = width
            encode_generic(coder, gb, [list(row) for row in rows], width)
            i += 1
        encode_int(coder, iadw, None)  # OOB: end of the height class
    encode_int(coder, iaex, 0)  # export flags, as run lengths: none not exported,
    encode_int(coder, iaex, len(symbols))  # then all exported
    flags = struct.pack(">H", 0)  # SDHUFF 0, SDREFAGG 0, SDTEMPLATE 0, contexts neither used nor retained
    return flags + DEFAULT_AT + struct.pack(">II", len(symbols), len(symbols)) + coder.finish()


def text_region(strips, ids, widths, width, height):
    """A text region segment's data (T.88 6.4, 7.4.3): arithmetic, SBSTRIPS 1, REFCORNER TOPLEFT, no refinement.

    strips are (y, [(x, key)]) left to right; ids maps a key to its symbol ID, widths a key to the symbol's width.
    """
    coder = MQEncoder()
    codelen = 0  # SBSYMCODELEN: the smallest n with 2^n >= the number of symbols
    while 1 << codelen < len(ids):
        codelen += 1
    iadt, iafs, iads, iaid = contexts(512), contexts(512), contexts(512), contexts(1 << codelen)
    encode_int(coder, iadt, 0)  # STRIPT = 0
    strip_t, first_s, count = 0, 0, 0
    for y, placed in strips:
        encode_int(coder, iadt, y - strip_t)  # DT (times SBSTRIPS = 1)
        strip_t = y
        cur_s = None
        for x, key in placed:
            if cur_s is None:
                encode_int(coder, iafs, x - first_s)  # DFS: the first S of the strip, from the last strip's first
                first_s = x
            else:
                encode_int(coder, iads, x - cur_s)  # IDS (SBDSOFFSET 0)
            encode_iaid(coder, iaid, codelen, ids[key])  # no T within the strip: SBSTRIPS is 1
            cur_s = x + widths[key] - 1  # CURS after a TOPLEFT symbol: its right column
            count += 1
        encode_int(coder, iads, None)  # OOB: end of the strip
    flags = struct.pack(">H", 1 << 4)  # SBHUFF 0, SBREFINE 0, LOGSBSTRIPS 0, REFCORNER TOPLEFT, SBCOMBOP OR
    return region_info(width, height) + flags + struct.pack(">I", count) + coder.finish()


def symbol_streams(bitmap, width, height, dpi, end_of_page, tile):
    """The globals stream (a symbol dictionary), the page stream (page information, a text region, end of page),
    the number of symbols and the number of tiles placed."""
    strips, shapes = cut_tiles(bitmap, width, height, tile)
    keys = sorted(shapes, key=lambda k: (k[0], shapes[k]))  # height classes in ascending height
    globals_stream = segment(0, SYMBOL_DICTIONARY, symbol_dictionary(keys), 0)
    ids = {key: i for i, key in enumerate(keys)}
    region = text_region(strips, ids, {key: key[1] for key in keys}, width, height)
    page = page_segments(width, height, dpi, end_of_page, 1, IMMEDIATE_TEXT_REGION, region, refers_to=[0])
    return globals_stream, page, len(keys), sum(len(placed) for _, placed in strips)


def read_pbm(path):
    """Width, height and the rows (lists of 0/1, 1 = black) of a binary PBM (P4)."""
    with open(path, "rb") as f:
        try:
            width, height, raster = pbm.parse(f.read())
        except ValueError as error:
            raise SystemExit(f"{path}: {error}")
    stride = (width + 7) // 8
    rows = []
    for y in range(height):
        line = raster[y * stride:(y + 1) * stride]
        rows.append([line[x >> 3] >> (7 - (x & 7)) & 1 for x in range(width)])
    return width, height, rows


def number(value):
    """A PDF number, at most four decimals, no trailing zeros."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def write_pdf(path, width, height, dpi, page_stream, globals_stream, inverted):
    """A one-page PDF 1.5 whose page is the image, drawn over the whole MediaBox; streams stored as they are."""
    w, h = number(width * 72 / dpi), number(height * 72 / dpi)
    content = f"q {w} 0 0 {h} 0 0 cm /Im0 Do Q".encode()
    image = (f"/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray "
             f"/BitsPerComponent 1 /Filter /JBIG2Decode")
    if globals_stream is not None:
        image += " /DecodeParms << /JBIG2Globals 6 0 R >>"
    if inverted:
        image += " /Decode [1 0]"

    def stream(entries, data):
        return f"<< {entries} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Resources << /XObject << /Im0 5 0 R >> >> "
        f"/Contents 4 0 R >>".encode(),
        stream("", content),
        stream(image, page_stream),
    ]
    if globals_stream is not None:
        objects.append(stream("", globals_stream))
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    with open(path, "wb") as f:
        f.write(out)


def main():
    parser = argparse.ArgumentParser(description="Wraps a PBM in a PDF as a JBIG2 image (a test-fixture encoder).")
    parser.add_argument("input", help="binary PBM (P4), 1 = black")
    parser.add_argument("output", help="the PDF to write")
    parser.add_argument("--mode", choices=["generic", "symbols"], default="generic")
    parser.add_argument("--dpi", type=float, default=300)
    parser.add_argument("--tile", type=int, default=16, help="symbol mode: tile size in pixels")
    parser.add_argument("--decode-inverted", action="store_true", help="write /Decode [1 0] and encode inverted bits")
    parser.add_argument("--end-of-page", action="store_true",
                        help="end the page stream with an end-of-page segment (ISO 32000-1 7.4.7 says PDFs have none)")
    parser.add_argument("--dump-streams", metavar="DIR", help="also write DIR/page.jbig2 (and DIR/globals.jbig2)")
    args = parser.parse_args()
    if args.tile < 1 or args.dpi <= 0:
        parser.error("--tile and --dpi must be positive")

    width, height, bitmap = read_pbm(args.input)
    end_of_page = args.end_of_page
    if args.decode_inverted:
        bitmap = [[1 - p for p in row] for row in bitmap]
    if args.mode == "generic":
        globals_stream, page_stream = None, generic_page(bitmap, width, height, args.dpi, end_of_page)
        summary = f"page stream {len(page_stream)} bytes"
    else:
        globals_stream, page_stream, symbols, placed = symbol_streams(bitmap, width, height, args.dpi, end_of_page,
                                                                      args.tile)
        summary = (f"page stream {len(page_stream)} bytes, globals {len(globals_stream)} bytes; "
                   f"{symbols} symbols, {placed} tiles placed")
    write_pdf(args.output, width, height, args.dpi, page_stream, globals_stream, args.decode_inverted)
    if args.dump_streams:
        os.makedirs(args.dump_streams, exist_ok=True)
        with open(os.path.join(args.dump_streams, "page.jbig2"), "wb") as f:
            f.write(page_stream)
        if globals_stream is not None:
            with open(os.path.join(args.dump_streams, "globals.jbig2"), "wb") as f:
                f.write(globals_stream)
    print(f"{args.output}: {width}x{height} pixels, {args.mode}; {summary}")


if __name__ == "__main__":
    main()
