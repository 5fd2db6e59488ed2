#!/usr/bin/env python3
"""A one-page PDF showing a line of text in an embedded font program: a Type 1 font (.t1/.pfa/.pfb, embedded as
/FontFile with its Length1/2/3) or the CFF table of an OpenType font (.otf, embedded as /FontFile3 /Type1C). With
--loop, one subroutine of the program is made to call itself, as a damaged file can have it (Type 1: subroutine 3,
the hint-replacement one, becomes `3 callsubr return`; CFF: the middle local subroutine, or --global the middle global
one, starts with a call of itself). Used for docs/benchmarks.md, "Fonts whose glyph programs call themselves".

    python3 scripts/font-program-pdf.py /usr/share/fonts/type1/urw-base35/NimbusRoman-Regular.t1 --text 'Bob 876.60' out.pdf
    python3 scripts/font-program-pdf.py SourceSans3-Regular.otf --loop out.pdf
"""
import argparse
import re
import struct


def crypt(data, key, decrypt):
    out = bytearray()
    for byte in data:
        value = byte ^ (key >> 8)
        key = (((byte if decrypt else value) + key) * 52845 + 22719) & 0xFFFF
        out.append(value)
    return bytes(out)


def type1_parts(raw):
    """(clear text, binary eexec part, trailer) of a PFA or PFB program."""
    if raw[0] == 0x80:
        segments, at = [], 0
        while at < len(raw) and raw[at] == 0x80 and raw[at + 1] in (1, 2):
            size = int.from_bytes(raw[at + 2:at + 6], 'little')
            segments.append(raw[at + 6:at + 6 + size])
            at += 6 + size
        return segments[0], segments[1], b''.join(segments[2:])
    start = raw.index(b'eexec') + 5
    while raw[start] in b'\r\n \t':
        start += 1
    end = raw.rindex(b'cleartomark')
    while end > start and raw[end - 1] in b'0\r\n \t':
        end -= 1
    body = raw[start:end]
    if all(c in b'0123456789abcdefABCDEF' for c in body[:4]):
        body = bytes.fromhex(re.sub(rb'[^0-9a-fA-F]', b'', body).decode())
    return raw[:start], body, raw[end:]


def type1_loop(raw):
    clear, cipher, trailer = type1_parts(raw)
    plain = crypt(cipher, 55665, True)
    leniv = int(m.group(1)) if (m := re.search(rb'/lenIV\s+(-?\d+)', plain)) else 4
    entry = re.search(rb'dup 3 (\d+) (\S+) ', plain)
    program = bytes([3 + 139, 10, 11])  # 3 callsubr return
    if leniv >= 0:
        program = crypt(bytes(leniv) + program, 4330, False)
    plain = plain[:entry.start()] + b'dup 3 %d %s ' % (len(program), entry.group(2)) + program + plain[entry.end() + int(entry.group(1)):]
    return clear + crypt(plain, 55665, False) + trailer


def cff_table(raw):
    for i in range(struct.unpack('>H', raw[4:6])[0]):
        record = raw[12 + 16 * i:28 + 16 * i]
        if record[:4] == b'CFF ':
            offset, length = struct.unpack('>II', record[8:16])
            return raw[offset:offset + length]
    raise SystemExit('no CFF table')


def cff_index(data, at):
    count = struct.unpack('>H', data[at:at + 2])[0]
    if count == 0:
        return [], at + 2
    size = data[at + 2]
    offsets = [int.from_bytes(data[at + 3 + i * size:at + 3 + (i + 1) * size], 'big') for i in range(count + 1)]
    base = at + 3 + (count + 1) * size - 1
    return [(base + offsets[i], base + offsets[i + 1]) for i in range(count)], base + offsets[count]


def cff_dict(data):
    entries, operands, at = {}, [], 0
    while at < len(data):
        b = data[at]
        if b <= 21:
            key = 1200 + data[at + 1] if b == 12 else b
            at += 2 if b == 12 else 1
            entries[key], operands = operands, []
        elif b == 28:
            operands.append(struct.unpack('>h', data[at + 1:at + 3])[0]); at += 3
        elif b == 29:
            operands.append(struct.unpack('>i', data[at + 1:at + 5])[0]); at += 5
        elif b == 30:
            at += 1
            while (data[at] >> 4) != 0xf and (data[at] & 0xf) != 0xf:
                at += 1
            at += 1; operands.append(0)
        elif b <= 246:
            operands.append(b - 139); at += 1
        elif b <= 250:
            operands.append((b - 247) * 256 + data[at + 1] + 108); at += 2
        else:
            operands.append(-(b - 251) * 256 - data[at + 1] - 108); at += 2
    return entries


def cff_loop(cff, use_global):
    cff = bytearray(cff)
    at = cff[2]
    for _ in range(3):
        items, at = cff_index(cff, at)
        if _ == 1:
            top = cff_dict(cff[items[0][0]:items[0][1]])
    subrs, _ = cff_index(cff, at)
    if not use_global:
        size, offset = top[18]
        subrs, _ = cff_index(cff, offset + cff_dict(cff[offset:offset + size])[19][0])
    index = len(subrs) // 2
    number = index - (107 if len(subrs) < 1240 else 1131 if len(subrs) < 33900 else 32768)
    code = bytes([number + 139]) if -107 <= number <= 107 else bytes([28]) + struct.pack('>h', number)
    patch = code + bytes([29 if use_global else 10])
    start, end = subrs[index]
    assert end - start >= len(patch)
    cff[start:start + len(patch)] = patch
    return bytes(cff)


def pdf(program, key, subtype, text):
    widths = b' '.join([b'600'] * 95)
    content = b'BT /F1 12 Tf 72 700 Td (%s) Tj ET' % text.encode('latin-1')
    objects = [
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
        b'<< /Length %d >>\nstream\n%s\nendstream' % (len(content), content),
        b'<< /Type /Font /Subtype /Type1 /BaseFont /F /FirstChar 32 /LastChar 126 /Widths [%s] /FontDescriptor 6 0 R >>' % widths,
        b'<< /Type /FontDescriptor /FontName /F /Flags 32 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 700 /Descent -200 '
        b'/CapHeight 700 /StemV 80 /%s 7 0 R >>' % key,
        b'<< /Length %d %s >>\nstream\n' % (len(program[0]), program[1]) + program[0] + b'\nendstream',
    ]
    out, offsets = bytearray(b'%PDF-1.4\n'), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b'%d 0 obj\n' % number + body + b'\nendobj\n'
    xref = len(out)
    out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objects) + 1) + b''.join(b'%010d 00000 n \n' % o for o in offsets)
    out += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objects) + 1, xref)
    return bytes(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('font')
    parser.add_argument('output')
    parser.add_argument('--text', default='Total due 876.60')
    parser.add_argument('--loop', action='store_true', help='make one subroutine call itself')
    parser.add_argument('--global', dest='use_global', action='store_true', help='CFF: a global subroutine, not a local one')
    args = parser.parse_args()
    raw = open(args.font, 'rb').read()
    if raw[:4] == b'OTTO':
        cff = cff_table(raw)
        program = (cff_loop(cff, args.use_global) if args.loop else cff, b'/Subtype /Type1C')
        key = b'FontFile3'
    else:
        if args.loop:
            raw = type1_loop(raw)
        clear, cipher, trailer = type1_parts(raw)
        program = (clear + cipher + trailer, b'/Length1 %d /Length2 %d /Length3 %d' % (len(clear), len(cipher), len(trailer)))
        key = b'FontFile'
    open(args.output, 'wb').write(pdf(program, key, None, args.text))


if __name__ == '__main__':
    main()
