"""Reads a binary PBM (P4), the bilevel image format ImageMagick and Ghostscript write, for the fixture scripts beside it."""


def parse(data):
    """Width, height and the packed raster (rows of ceil(width / 8) bytes, 1 = black) of a binary PBM (P4), comments
    allowed in its header."""
    fields, pos = [], 0
    while len(fields) < 3:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P4":
        raise ValueError("not a binary PBM (P4)")
    return int(fields[1]), int(fields[2]), data[pos + 1:]
