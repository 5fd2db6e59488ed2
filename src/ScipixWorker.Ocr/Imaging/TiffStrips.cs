using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using ScipixWorker.Ocr.Engine;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// The scanner's TIFF page decoded without ImageSharp: stored in strips or tiles, uncompressed, LZW, deflate (with or
/// without the horizontal predictor) or PackBits, 8-bit grey of either polarity, palette, RGB or CMYK samples
/// interleaved, upright, no extra samples (CMYK as libtiff's RGBA reader shows it, through a buffer a strip). Each strip is decoded straight into its rows of the page's RGB buffer (grey and palette
/// samples into the rows' last third, then spread over the rows in place), so the decode holds the page's three bytes a
/// pixel and nothing else; each tile into a buffer of the tile's size, then set in the page. ImageSharp 2.1 refuses
/// tiled pages ("Tiled images are not supported"), as large-format scanners, archives and imaging libraries write them.
/// ImageSharp 2.1's LZW decoder allocates a new array for every code it adds to its table (85 MB of short-lived arrays
/// for a 4-megapixel page): bursts of LZW scans ran ten times the gen-0 collections of the same pages as JPEGs, and
/// peaked 30 MiB higher than with this reader (docs/benchmarks.md, "LZW TIFF pages decoded by the engine").
/// <para>
/// A CCITT Group 4 or Group 3 fax (1-bit, either polarity, either fill order; Group 3 one- or two-dimensional; in strips
/// or tiles) is decoded strip by strip (tile by tile) by PdfPig's fax decoder and set in the page's rows as black and white: 0.27-0.33x ImageSharp's time
/// (docs/benchmarks.md, "CCITT fax TIFF pages decoded by the engine"), a min-is-black fax shown as libtiff shows it, and
/// two-dimensional Group 3, as fax servers store what fax machines send, which ImageSharp 2.1 does not decode at all.
/// </para>
/// <para>
/// JPEG-compressed pages (grey, YCbCr or RGB) in tiles, or in strips of up to 16 MiB, each tile or strip made a JPEG of its
/// own with the shared tables and decoded by ImageSharp's JPEG decoder: about 0.6x ImageSharp's TIFF decoder's time for
/// strips; tiles it refuses.
/// </para>
/// <para>
/// Anything else (planes, other bit depths or colour spaces, another orientation, tiles of over 16 MiB, Modified Huffman
/// fax coding or a fax's uncompressed mode, old-style JPEG, the old LZW of TIFF 5's bit order, a directory this reader
/// does not follow) gives null, and the caller decodes the page with ImageSharp as before.
/// </para>
/// </summary>
internal static class TiffStrips
{
    /// <summary>
    /// A page of the classic TIFF <paramref name="data"/>, the first or the one whose directory is at
    /// <paramref name="directory"/> (a page of a multi-page file read in place, <see cref="TiffPages.DirectoryOf"/>), decoded
    /// into a rented buffer (give it back with <see cref="RgbBuffer.Release"/>), or null when the page is not of the kind
    /// this reader decodes. The page's size, as its directory gives it, goes to <paramref name="checkSize"/> before anything
    /// is allocated (it throws to refuse it). Invalid LZW codes fail as a damaged image; a strip whose data ends early, or
    /// stops before its last row, leaves its remaining samples zero, as libtiff and ImageSharp do.
    /// </summary>
    public static RgbBuffer? TryDecode(ReadOnlySpan<byte> data, Action<int, int>? checkSize = null, long directory = -1)
    {
        if (!TryLayout(data, directory, out var layout))
        {
            return null;
        }

        checkSize?.Invoke(layout.Width, layout.Height);
        var page = RgbBuffer.Rent(layout.Width, layout.Height);
        try
        {
            Decode(data, layout, page);
            return page;
        }
        catch
        {
            page.Release();
            throw;
        }
    }

    // What the page's directory says, once checked to be the kind decoded here.
    private sealed record Layout(
        int Width, int Height, int Samples, int Photometric, bool Lzw, bool Predicted, int RowsPerStrip,
        long[] Offsets, long[] Counts, byte[]? Palette)
    {
        /// <summary>FillOrder 2: the bits of each byte from the lowest (fax software writes them so).</summary>
        public bool LowBitFirst { get; init; }

        /// <summary>A CCITT fax's coding as PDF's /K names it (-1 Group 4, 0 Group 3 one-dimensional, 1 two-dimensional); null for other pages.</summary>
        public int? FaxK { get; init; }

        /// <summary>Deflate (Adobe's or the old code's), a zlib stream a strip or tile.</summary>
        public bool Deflate { get; init; }

        /// <summary>PackBits (Macintosh run-length), as some scanners and fax software write black-and-white and grey pages.</summary>
        public bool PackBits { get; init; }

        /// <summary>
        /// A JPEG-compressed page in tiles (Compression 7): each tile a JPEG stream, its tables in JPEGTables when they are
        /// shared (empty when each tile holds its own); null for other pages.
        /// </summary>
        public byte[]? JpegTables { get; init; }

        /// <summary>A tile's width when the page is stored in tiles (Offsets and Counts are then the tiles'), 0 in strips.</summary>
        public int TileWidth { get; init; }

        /// <summary>A tile's height (rows) when the page is stored in tiles.</summary>
        public int TileLength { get; init; }
    }

    /// <summary>The most bytes one tile's samples may take (a 2,048 x 2,048 RGB tile is 12 MiB; tiles are 16 x 16 to 1,024 x 1,024 as written).</summary>
    private const long MaxTileBytes = 16 << 20;

    private const int Uncompressed = 1;
    private const int Group3Compression = 3;
    private const int Group4Compression = 4;
    private const int LzwCompression = 5;
    private const int DeflateCompression = 8;
    private const int OldDeflateCompression = 32946;
    private const int PackBitsCompression = 32773;
    private const int JpegCompression = 7;
    private const int YCbCr = 6;
    private const int WhiteIsZero = 0;
    private const int BlackIsZero = 1;
    private const int Rgb = 2;
    private const int PaletteColour = 3;
    private const int Separated = 5;

    private static bool TryLayout(ReadOnlySpan<byte> data, long page, out Layout layout)
    {
        layout = null!;
        if (!TiffPages.TryHeader(data, out var little, out var directory))
        {
            return false;
        }

        directory = page >= 0 ? page : directory;
        if (TiffPages.LinkOf(data, directory, little) < 0)
        {
            return false;
        }

        var directoryReader = new TiffPages.Directory(data, (int)directory, little);
        var width = directoryReader.Single(256);
        var height = directoryReader.Single(257);
        var samples = directoryReader.Single(277, 1);
        var compression = directoryReader.Single(259, Uncompressed);
        var photometric = directoryReader.Single(262, uint.MaxValue); // required: a page without one is left to ImageSharp
        var predictor = directoryReader.Single(317, 1);
        var rowsPerStrip = directoryReader.Single(278, uint.MaxValue);
        if (compression is Group3Compression or Group4Compression)
        {
            return TryFaxLayout(data, directoryReader, compression, width, height, samples, photometric, rowsPerStrip, out layout);
        }

        if (compression == JpegCompression)
        {
            return TryJpegTilesLayout(data, directoryReader, width, height, samples, photometric, out layout);
        }

        if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue || rowsPerStrip == 0
            || compression is not (Uncompressed or LzwCompression or DeflateCompression or OldDeflateCompression or PackBitsCompression)
            || predictor is not (1 or 2)
            || directoryReader.Single(266, 1) != 1 // FillOrder: the bits of a byte from the highest
            || directoryReader.Single(274, 1) != 1 // Orientation: upright
            || directoryReader.Single(284, 1) != 1 // PlanarConfiguration: samples interleaved
            || directoryReader.Has(338) // extra samples
            || !directoryReader.All(258, samples, 8) || !directoryReader.All(339, samples, 1, absentIs: 1)) // 8-bit unsigned integers
        {
            return false;
        }

        var kind = (samples, photometric) switch
        {
            (1, WhiteIsZero or BlackIsZero or PaletteColour) => (int)photometric,
            (3, Rgb) => Rgb,
            (4, Separated) when directoryReader.Single(332, 1) == 1 => Separated, // InkSet 1: CMYK
            _ => -1,
        };
        if (kind < 0)
        {
            return false;
        }

        byte[]? palette = null;
        if (kind == PaletteColour && (palette = directoryReader.Palette()) is null)
        {
            return false;
        }

        var lzw = compression == LzwCompression;
        var deflate = compression is DeflateCompression or OldDeflateCompression;
        if (!TryPieces(data, directoryReader, width, height, samples, rowsPerStrip, lzw, out var rows, out var tileWidth, out var tileLength, out var offsets, out var counts))
        {
            return false;
        }

        // The predictor belongs to the compression (libtiff and ImageSharp apply it with LZW and deflate, never to
        // uncompressed data).
        layout = new Layout((int)width, (int)height, (int)samples, kind, lzw, (lzw || deflate) && predictor == 2, rows, offsets, counts, palette)
        {
            Deflate = deflate,
            PackBits = compression == PackBitsCompression,
            TileWidth = tileWidth,
            TileLength = tileLength,
        };
        return true;
    }

    // A CCITT fax page, Group 4 or Group 3 (one- or two-dimensional: T4Options bit 0, PDF's /K 1, each row's coding told
    // by the tag bit after its end-of-line code; those codes with or without fill bits before them):
    // one 1-bit sample a pixel, white or black (either polarity), in strips, upright, without the option of uncompressed
    // runs (T4Options or T6Options bit 1), which the fax decoder does not read.
    private static bool TryFaxLayout(
        ReadOnlySpan<byte> data, TiffPages.Directory directoryReader, uint compression, uint width, uint height, uint samples, uint photometric,
        uint rowsPerStrip, out Layout layout)
    {
        layout = null!;
        var fillOrder = directoryReader.Single(266, 1);
        var options = directoryReader.Single(compression == Group3Compression ? (ushort)292 : (ushort)293, 0); // T4Options, T6Options
        if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue || rowsPerStrip == 0 || samples != 1
            || photometric is not (WhiteIsZero or BlackIsZero) || fillOrder is not (1 or 2)
            || (options & 2) != 0 // uncompressed mode
            || directoryReader.Single(274, 1) != 1 || directoryReader.Has(338)
            || !directoryReader.All(258, 1, 1, absentIs: 1))
        {
            return false;
        }

        if (!TryPieces(data, directoryReader, width, height, 1, rowsPerStrip, lzw: false, out var rows, out var tileWidth, out var tileLength, out var offsets, out var counts))
        {
            return false;
        }

        layout = new Layout((int)width, (int)height, 1, (int)photometric, Lzw: false, Predicted: false, rows, offsets, counts, Palette: null)
        {
            LowBitFirst = fillOrder == 2,
            FaxK = compression == Group4Compression ? -1 : (options & 1) != 0 ? 1 : 0,
            TileWidth = tileWidth,
            TileLength = tileLength,
        };
        return true;
    }

    // A JPEG-compressed page (TIFF 6's Compression 7) in tiles, or in strips of up to MaxTileBytes of samples (a page in
    // one larger strip is left to ImageSharp, which decodes it into the page's buffer): grey (1 sample), or YCbCr or RGB
    // (3), 8 bits, upright, interleaved, no extra samples. Each strip is then a tile the page's width.
    private static bool TryJpegTilesLayout(
        ReadOnlySpan<byte> data, TiffPages.Directory directoryReader, uint width, uint height, uint samples, uint photometric, out Layout layout)
    {
        layout = null!;
        if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue
            || (samples, photometric) is not ((1, BlackIsZero) or (3, Rgb) or (3, YCbCr))
            || directoryReader.Single(274, 1) != 1 || directoryReader.Single(284, 1) != 1 || directoryReader.Has(338)
            || !directoryReader.All(258, samples, 8))
        {
            return false;
        }

        int tileWidth, tileLength;
        long[] offsets, counts;
        var tiled = directoryReader.Has(322) || directoryReader.Has(324);
        if (tiled)
        {
            if (!TryTiles(data, directoryReader, width, height, samples, lzw: false, out tileWidth, out tileLength, out offsets, out counts))
            {
                return false;
            }
        }
        else
        {
            var rowsPerStrip = directoryReader.Single(278, uint.MaxValue);
            if (rowsPerStrip == 0 || (ulong)width * Math.Min(rowsPerStrip, height) * samples > MaxTileBytes
                || !TryStrips(data, directoryReader, height, rowsPerStrip, lzw: false, out tileLength, out offsets, out counts))
            {
                return false;
            }

            tileWidth = (int)width;
        }

        layout = new Layout((int)width, (int)height, (int)samples, (int)photometric, Lzw: false, Predicted: false, tiled ? 0 : tileLength, offsets, counts, Palette: null)
        {
            JpegTables = directoryReader.Bytes(347) ?? [],
            TileWidth = tileWidth,
            TileLength = tileLength,
        };
        return true;
    }

    // The page's strips (their rows; the tile size 0) or, when its directory names tiles, its tiles (their size; rows 0),
    // with their offsets and byte counts.
    private static bool TryPieces(
        ReadOnlySpan<byte> data, TiffPages.Directory directoryReader, uint width, uint height, uint samples, uint rowsPerStrip, bool lzw,
        out int rows, out int tileWidth, out int tileLength, out long[] offsets, out long[] counts)
    {
        (rows, tileWidth, tileLength) = (0, 0, 0);
        return directoryReader.Has(322) || directoryReader.Has(324)
            ? TryTiles(data, directoryReader, width, height, samples, lzw, out tileWidth, out tileLength, out offsets, out counts)
            : TryStrips(data, directoryReader, height, rowsPerStrip, lzw, out rows, out offsets, out counts);
    }

    // The tiles' size, offsets and byte counts (TileWidth, TileLength, TileOffsets, TileByteCounts: tiles left to right,
    // then top to bottom, those at the right and bottom edges padded past the page), when a tile's samples fit in
    // MaxTileBytes and every tile lies in the file (as for strips).
    private static bool TryTiles(
        ReadOnlySpan<byte> data, TiffPages.Directory directoryReader, uint width, uint height, uint samples, bool lzw,
        out int tileWidth, out int tileLength, out long[] offsets, out long[] counts)
    {
        (tileWidth, tileLength, offsets, counts) = (0, 0, null!, null!);
        var (across, down) = (directoryReader.Single(322), directoryReader.Single(323));
        if (across == 0 || down == 0 || (ulong)across * down * samples > MaxTileBytes)
        {
            return false;
        }

        var tiles = ((width + (ulong)across - 1) / across) * ((height + (ulong)down - 1) / down);
        if (tiles > int.MaxValue
            || directoryReader.Many(324, (int)tiles) is not { } tileOffsets || directoryReader.Many(325, (int)tiles) is not { } tileCounts
            || !InFile(data, tileOffsets, tileCounts, lzw))
        {
            return false;
        }

        (tileWidth, tileLength, offsets, counts) = ((int)across, (int)down, tileOffsets, tileCounts);
        return true;
    }

    // The strips' rows, offsets and byte counts, when every strip lies in the file (the decoder reports what it makes of
    // one outside it) and, for LZW, none is in TIFF 5's bit order.
    private static bool TryStrips(
        ReadOnlySpan<byte> data, TiffPages.Directory directoryReader, uint height, uint rowsPerStrip, bool lzw, out int rows, out long[] offsets, out long[] counts)
    {
        rows = (int)Math.Min(rowsPerStrip, height);
        var strips = (int)((height + (ulong)rows - 1) / (ulong)rows);
        offsets = directoryReader.Many(273, strips)!;
        counts = directoryReader.Many(279, strips)!;
        return offsets is not null && counts is not null && InFile(data, offsets, counts, lzw);
    }

    // Whether, for LZW, no strip or tile is in TIFF 5's bit order. One whose data starts past the file's end fails as a
    // damaged image (ImageSharp, which such a page went to, took 1.3 s to say so of a fax whose strip offset was damaged).
    private static bool InFile(ReadOnlySpan<byte> data, long[] offsets, long[] counts, bool lzw)
    {
        for (var s = 0; s < offsets.Length; s++)
        {
            if (offsets[s] >= data.Length && counts[s] > 0)
            {
                throw new OcrException(OcrErrorCode.CorruptImage,
                    $"The TIFF image is damaged or truncated: strip or tile {s} starts at byte {offsets[s]}, past the file's end ({data.Length} bytes).");
            }

            var strip = data[(int)Math.Min(offsets[s], data.Length)..];
            if (lzw && strip.Length >= 2 && strip[0] == 0 && (strip[1] & 1) != 0)
            {
                return false; // TIFF 5's LZW, its codes in the other bit order
            }
        }

        return true;
    }

    private static void Decode(ReadOnlySpan<byte> data, Layout layout, RgbBuffer page)
    {
        if (layout.JpegTables is { } jpegTables)
        {
            DecodeJpegTiles(data, layout, jpegTables, page);
            return;
        }

        if (layout.FaxK is { } k)
        {
            DecodeFax(data, layout, k, page);
            return;
        }

        if (layout.TileWidth > 0 || layout.Samples == 4)
        {
            // Tiles, and CMYK strips (four samples a pixel do not fit in the page's three bytes), through a buffer a piece.
            DecodeTiles(data, layout, page);
            return;
        }

        var stride = page.Stride;
        var rowSamples = layout.Width * layout.Samples;
        var tables = layout.Lzw ? new LzwTables() : null;
        for (var s = 0; s < layout.Offsets.Length; s++)
        {
            var source = Strip(data, layout, s, out var firstRow, out var rows);
            var region = page.Data.Slice(firstRow * stride, rows * stride);
            var samples = region[(region.Length - (rows * rowSamples))..]; // the region itself for RGB; its last third else

            var written = Samples(source, samples, layout, tables, s);
            samples[written..].Clear();
            if (layout.Predicted)
            {
                UndoHorizontalPredictor(samples, rowSamples, layout.Samples);
            }

            if (layout.Samples == 1)
            {
                Spread(region, samples.Length, layout.Photometric, layout.Palette);
            }
        }
    }

    // A page in tiles (or CMYK strips, as tiles the page's width): each tile's samples decoded into a buffer of the tile's
    // size (the predictor undone along the tile's rows), then the part of it on the page (edge tiles are padded past it)
    // set in the page's rows as RGB.
    private static void DecodeTiles(ReadOnlySpan<byte> data, Layout layout, RgbBuffer page)
    {
        var (tileWidth, tileLength) = PieceSize(layout);
        var rowSamples = tileWidth * layout.Samples;
        var tables = layout.Lzw ? new LzwTables() : null;
        var buffer = ArrayPool<byte>.Shared.Rent(rowSamples * tileLength);
        try
        {
            var tile = buffer.AsSpan(0, rowSamples * tileLength);
            for (var t = 0; t < layout.Offsets.Length; t++)
            {
                var written = Samples(Piece(data, layout, t), tile, layout, tables, t);
                tile[written..].Clear();
                if (layout.Predicted)
                {
                    UndoHorizontalPredictor(tile, rowSamples, layout.Samples);
                }

                var (x, y, columns, rows) = Place(layout, t);
                for (var row = 0; row < rows; row++)
                {
                    var samples = tile.Slice(row * rowSamples, columns * layout.Samples);
                    var rgb = page.Data.Slice(((y + row) * page.Stride) + (x * 3), columns * 3);
                    switch (layout.Samples)
                    {
                        case 3:
                            samples.CopyTo(rgb);
                            break;
                        case 4:
                            CmykInto(samples, rgb);
                            break;
                        default:
                            SpreadInto(samples, rgb, layout.Photometric, layout.Palette);
                            break;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Each JPEG tile made a whole JPEG file (the shared tables between its start-of-image marker and the rest; for RGB
    // samples an Adobe marker saying they are not YCbCr, as the tile's components are stored) and decoded by ImageSharp,
    // then the part of it on the page set in the page's rows. A tile that cannot be decoded fails as a damaged image.
    private static void DecodeJpegTiles(ReadOnlySpan<byte> data, Layout layout, byte[] tables, RgbBuffer page)
    {
        var shared = tables.Length >= 4 && tables[0] == 0xFF && tables[1] == 0xD8 ? tables.AsSpan(2, tables.Length - 2) : tables.AsSpan();
        if (shared.Length >= 2 && shared[^2] == 0xFF && shared[^1] == 0xD9)
        {
            shared = shared[..^2]; // the tables' end-of-image marker
        }

        ReadOnlySpan<byte> adobe = layout.Photometric == Rgb
            ? [0xFF, 0xEE, 0x00, 0x0E, (byte)'A', (byte)'d', (byte)'o', (byte)'b', (byte)'e', 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00]
            : [];
        for (var t = 0; t < layout.Offsets.Length; t++)
        {
            var tile = Piece(data, layout, t);
            if (tile.Length >= 2 && tile[0] == 0xFF && tile[1] == 0xD8)
            {
                tile = tile[2..];
            }

            var file = new byte[2 + adobe.Length + shared.Length + tile.Length];
            (file[0], file[1]) = (0xFF, 0xD8);
            adobe.CopyTo(file.AsSpan(2));
            shared.CopyTo(file.AsSpan(2 + adobe.Length));
            tile.CopyTo(file.AsSpan(2 + adobe.Length + shared.Length));
            Image<Rgb24> decoded;
            try
            {
                // A tile's frame is the tile's size; a damaged one claiming more is refused before its pixels are allocated.
                using var header = new MemoryStream(file, writable: false);
                if (Image.Identify(ImageLoader.Decoding, header) is not { } info || info.Width > layout.TileWidth || info.Height > layout.TileLength)
                {
                    throw new OcrException(OcrErrorCode.CorruptImage, $"The TIFF image is damaged: {PieceName(layout)} {t} is not a JPEG stream of the {PieceName(layout)}'s {layout.TileWidth} x {layout.TileLength} pixels.");
                }

                decoded = Image.Load<Rgb24>(ImageLoader.Decoding, file);
            }
            catch (Exception ex) when (ImageLoader.IsDecodeFailure(ex) || ex is InvalidMemoryOperationException)
            {
                throw new OcrException(OcrErrorCode.CorruptImage, $"The TIFF image is damaged: {PieceName(layout)} {t} is not a valid JPEG stream ({ex.Message}).", ex);
            }

            using (decoded)
            {
                var (x, y, onPage, rowsOnPage) = Place(layout, t);
                var (columns, rows) = (Math.Min(onPage, decoded.Width), Math.Min(rowsOnPage, decoded.Height));
                var target = page;
                decoded.ProcessPixelRows(pixels =>
                {
                    for (var row = 0; row < rows; row++)
                    {
                        MemoryMarshal.AsBytes(pixels.GetRowSpan(row)[..columns]).CopyTo(target.Data.Slice(((y + row) * target.Stride) + (x * 3), columns * 3));
                    }
                });
            }
        }
    }

    // What a page's pieces are called in messages: tiles, or strips (JPEG strips are read as tiles the page's width).
    private static string PieceName(Layout layout) => layout.RowsPerStrip == 0 ? "tile" : "strip";

    // A strip's or tile's samples decoded into `samples` (what does not fit is dropped); the bytes written.
    private static int Samples(ReadOnlySpan<byte> source, Span<byte> samples, Layout layout, LzwTables? tables, int piece) =>
        layout.Lzw ? tables!.Decode(source, samples, piece)
            : layout.Deflate ? Inflate(source, samples, piece)
            : layout.PackBits ? UnpackBits(source, samples)
            : Copy(source, samples);

    // PackBits: a byte n below 128 copies the n + 1 bytes after it, above 128 repeats the byte after it 257 - n times,
    // 128 is nothing (PDF's run-length differs only there: its 128 ends the data). What runs past `samples` or past the
    // data is dropped.
    private static int UnpackBits(ReadOnlySpan<byte> source, Span<byte> samples)
    {
        var (read, written) = (0, 0);
        while (read < source.Length && written < samples.Length)
        {
            int n = source[read++];
            if (n < 128)
            {
                var length = Math.Min(Math.Min(n + 1, source.Length - read), samples.Length - written);
                source.Slice(read, length).CopyTo(samples[written..]);
                (read, written) = (read + n + 1, written + length);
            }
            else if (n > 128 && read < source.Length)
            {
                var length = Math.Min(257 - n, samples.Length - written);
                samples.Slice(written, length).Fill(source[read++]);
                written += length;
            }
        }

        return written;
    }

    // A zlib stream inflated into `samples` until it is full or the stream ends: its two header bytes skipped and no
    // checksum read, as PdfFlateFilter reads PDF's streams. Data that cannot be inflated fails as a damaged image.
    private static unsafe int Inflate(ReadOnlySpan<byte> source, Span<byte> samples, int piece)
    {
        if (source.Length <= 2)
        {
            return 0;
        }

        fixed (byte* bytes = source)
        {
            using var stream = new UnmanagedMemoryStream(bytes + 2, source.Length - 2);
            using var inflater = new DeflateStream(stream, CompressionMode.Decompress);
            var filled = 0;
            try
            {
                int read;
                while (filled < samples.Length && (read = inflater.Read(samples[filled..])) > 0)
                {
                    filled += read;
                }
            }
            catch (InvalidDataException ex)
            {
                throw new OcrException(OcrErrorCode.CorruptImage, $"The TIFF image is damaged: strip or tile {piece} is not valid deflate data ({ex.Message}).", ex);
            }

            return filled;
        }
    }

    // Each strip's or tile's T.6 or T.4 data decoded by PdfPig's CCITT fax decoder (as PDF's CCITTFaxDecode with /K -1, 0
    // or 1: a fraction of ImageSharp's time, docs/benchmarks.md) into 1-bit rows, set in its rows of the page as black or
    // white. A set bit there is a white run (BlackIs1 false), which TIFF stores as 0: white on a WhiteIsZero page and black
    // on a BlackIsZero one, as libtiff shows them. Rows the data does not reach are left as zero samples (white, or black).
    private static void DecodeFax(ReadOnlySpan<byte> data, Layout layout, int k, RgbBuffer page)
    {
        var decoder = new CcittFaxDecodeFilter();
        var tiled = layout.TileWidth > 0;
        var (coded, length) = PieceSize(layout); // the columns each row is coded with, and a piece's rows
        var rowBytes = (coded + 7) / 8;
        var levels = ScanSamples.GreyLevels(1, inverted: layout.Photometric == BlackIsZero); // a set bit: white on WhiteIsZero
        for (var s = 0; s < layout.Offsets.Length; s++)
        {
            var (x, firstRow, columns, rows) = Place(layout, s);
            var codedRows = tiled ? length : rows; // a tile is coded whole, a strip as the rows it holds
            var source = Piece(data, layout, s).ToArray();
            if (layout.LowBitFirst)
            {
                for (var i = 0; i < source.Length; i++)
                {
                    source[i] = ReversedBits(source[i]);
                }
            }

            ReadOnlyMemory<byte> bits;
            try
            {
                bits = decoder.Decode(source, FaxParameters(coded, codedRows, k), DefaultFilterProvider.Instance, 0);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new OcrException(OcrErrorCode.CorruptImage, $"The TIFF image is damaged: {PieceName(layout)} {s} is not valid CCITT fax data ({ex.Message}).", ex);
            }

            var decodedRows = Math.Min(rows, bits.Length / rowBytes);
            for (var y = 0; y < rows; y++)
            {
                var rgb = page.Data.Slice(((firstRow + y) * page.Stride) + (x * 3), columns * 3);
                if (y < decodedRows)
                {
                    ScanSamples.ExpandRow(bits.Span.Slice(y * rowBytes, rowBytes), rgb, columns, 1, levels);
                }
                else
                {
                    rgb.Fill(levels[3]); // a zero sample, TIFF's white run: a set bit here
                }
            }
        }
    }

    // The size each piece is coded at: a tile's, or a strip's (the page's width by RowsPerStrip).
    private static (int Width, int Length) PieceSize(Layout layout) =>
        layout.TileWidth > 0 ? (layout.TileWidth, layout.TileLength) : (layout.Width, Math.Min(layout.RowsPerStrip, layout.Height));

    // Piece i's place on the page (pieces left to right, then top to bottom) and how much of it lies on the page (edge
    // tiles are padded past it; the last strip holds the rows left).
    private static (int X, int Y, int Columns, int Rows) Place(Layout layout, int i)
    {
        var (width, length) = PieceSize(layout);
        var across = (layout.Width + width - 1) / width;
        var (x, y) = (i % across * width, i / across * length);
        return (x, y, Math.Min(width, layout.Width - x), Math.Min(length, layout.Height - y));
    }

    // Strip or tile i's data: what of it lies in the file.
    private static ReadOnlySpan<byte> Piece(ReadOnlySpan<byte> data, Layout layout, int i)
    {
        var start = (int)Math.Min(layout.Offsets[i], data.Length);
        return data.Slice(start, (int)Math.Min(layout.Counts[i], data.Length - start));
    }

    // Strip s's data (what of it lies in the file), its first row and its rows.
    private static ReadOnlySpan<byte> Strip(ReadOnlySpan<byte> data, Layout layout, int s, out int firstRow, out int rows)
    {
        firstRow = s * layout.RowsPerStrip;
        rows = Math.Min(layout.RowsPerStrip, layout.Height - firstRow);
        return Piece(data, layout, s);
    }

    private static DictionaryToken FaxParameters(int columns, int rows, int k)
    {
        var parameters = new Dictionary<NameToken, IToken>
        {
            [NameToken.K] = new NumericToken(k),
            [NameToken.Columns] = new NumericToken(columns),
            [NameToken.Rows] = new NumericToken(rows),
        };
        return new(new Dictionary<NameToken, IToken>
        {
            [NameToken.Filter] = NameToken.Create("CCITTFaxDecode"),
            [NameToken.Width] = new NumericToken(columns),
            [NameToken.Height] = new NumericToken(rows),
            [NameToken.DecodeParms] = new DictionaryToken(parameters),
        });
    }

    private static byte ReversedBits(byte value) => (byte)(((value * 0x0202020202UL) & 0x010884422010UL) % 1023);

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> samples)
    {
        var length = Math.Min(source.Length, samples.Length);
        source[..length].CopyTo(samples);
        return length;
    }

    /// <summary>
    /// TIFF's predictor 2 undone (PDF's /Predictor 2 too): each 8-bit sample stored as its difference from the same sample
    /// of the pixel to its left, row by row (rows of <paramref name="rowSamples"/>; a last row cut short is undone as far
    /// as it goes).
    /// </summary>
    internal static void UndoHorizontalPredictor(Span<byte> samples, int rowSamples, int samplesPerPixel)
    {
        for (var start = 0; start < samples.Length; start += rowSamples)
        {
            var row = samples.Slice(start, Math.Min(rowSamples, samples.Length - start));
            switch (samplesPerPixel)
            {
                case 1:
                    UndoGrey(row);
                    break;
                case 3 when row.Length >= 3:
                    UndoRgb(row);
                    break;
                default:
                    for (var i = samplesPerPixel; i < row.Length; i++)
                    {
                        row[i] += row[i - samplesPerPixel];
                    }

                    break;
            }
        }
    }

    // The running sums kept in registers, three independent ones for RGB: the byte loop's sum through memory (each sample
    // waiting for the one three before it) made a deflated RGB page's decode 1.2 times ImageSharp's (docs/benchmarks.md).
    private static void UndoGrey(Span<byte> row)
    {
        var v = row[0];
        for (var i = 1; i < row.Length; i++)
        {
            row[i] = v += row[i];
        }
    }

    private static void UndoRgb(Span<byte> row)
    {
        var (r, g, b) = (row[0], row[1], row[2]);
        var i = 3;
        foreach (ref var pixel in MemoryMarshal.Cast<byte, RgbSamples>(row[3..]))
        {
            pixel.R = r += pixel.R;
            pixel.G = g += pixel.G;
            pixel.B = b += pixel.B;
            i += 3;
        }

        for (; i < row.Length; i++) // a row cut short part way through a pixel
        {
            row[i] += row[i - 3];
        }
    }

    private struct RgbSamples
    {
        public byte R, G, B;
    }

    // One sample a pixel, in the last third of the region, spread over it as RGB from the front: pixel i is written at
    // 3i..3i+2 after its sample at 2n+i is read, and 3i+2 < 2n+i+1 for every i < n, so no sample is overwritten unread.
    private static void Spread(Span<byte> region, int pixels, int photometric, byte[]? palette) =>
        SpreadInto(region[(region.Length - pixels)..], region, photometric, palette);

    // CMYK ink (InkSet 1, 0 none, 255 full) as RGB, as libtiff's RGBA reader shows it without a colour profile: each of
    // red, green and blue is what its complementary ink and black leave, (255 - c) * (255 - k) / 255, rounded down.
    private static void CmykInto(ReadOnlySpan<byte> samples, Span<byte> rgb)
    {
        for (int i = 0, j = 0; i + 3 < samples.Length; i += 4, j += 3)
        {
            var paper = 255 - samples[i + 3];
            rgb[j] = (byte)(paper * (255 - samples[i]) / 255);
            rgb[j + 1] = (byte)(paper * (255 - samples[i + 1]) / 255);
            rgb[j + 2] = (byte)(paper * (255 - samples[i + 2]) / 255);
        }
    }

    // One sample a pixel spread over `rgb` as RGB, pixel by pixel from the front (so `samples` may be the last third of
    // `rgb` itself, as Spread has it).
    private static void SpreadInto(ReadOnlySpan<byte> samples, Span<byte> rgb3, int photometric, byte[]? palette)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            var v = samples[i];
            var rgb = rgb3.Slice(3 * i, 3);
            switch (photometric)
            {
                case PaletteColour:
                    rgb[0] = palette![v];
                    rgb[1] = palette[256 + v];
                    rgb[2] = palette[512 + v];
                    break;
                case WhiteIsZero:
                    rgb[0] = rgb[1] = rgb[2] = (byte)(255 - v);
                    break;
                default:
                    rgb[0] = rgb[1] = rgb[2] = v;
                    break;
            }
        }
    }

    /// <summary>
    /// TIFF's LZW (TIFF 6, section 13), PDF's LZWDecode too: codes of 9 to 12 bits, highest bit first, 256 clears the
    /// table, 257 ends the data, and the width grows one code early (at 511, 1023 and 2047 entries; PDF's /EarlyChange 0
    /// grows it at 512, 1024 and 2048). The table is the code's last byte, its prefix's code, its first byte and its
    /// length, so a code's string is written back to front from its chain and nothing is allocated a code.
    /// </summary>
    internal sealed class LzwTables
    {
        private const int ClearCode = 256;
        private const int EndCode = 257;
        private const int FirstFree = 258;
        private const int MaxCodes = 4096;

        private readonly ushort[] _prefix = new ushort[MaxCodes];
        private readonly byte[] _last = new byte[MaxCodes];
        private readonly byte[] _first = new byte[MaxCodes];
        private readonly int[] _length = new int[MaxCodes];
        private readonly int _earlyChange;

        public LzwTables(int earlyChange = 1)
        {
            _earlyChange = earlyChange;
            for (var c = 0; c < 256; c++)
            {
                _last[c] = _first[c] = (byte)c;
                _length[c] = 1;
            }
        }

        /// <summary>
        /// Decodes one strip into <paramref name="output"/> (what does not fit is dropped); returns the bytes written. A code
        /// the table does not hold fails as a damaged image, or with <paramref name="stopAtInvalid"/> ends the data there
        /// (as PDF readers do, and as <see cref="Count"/> counts).
        /// </summary>
        public int Decode(ReadOnlySpan<byte> source, Span<byte> output, int strip, bool stopAtInvalid = false) =>
            (int)Math.Min(Run(source, output, output.Length, strip, stopAtInvalid), output.Length);

        /// <summary>
        /// The length the data decodes to, counted without keeping the output: only each entry's length is kept. Stops
        /// once it reaches <paramref name="limit"/> (the string that passes it counted whole) and at a code the table does
        /// not hold (<see cref="DecodedSize.Lzw"/>).
        /// </summary>
        public long Count(ReadOnlySpan<byte> source, long limit) => Run(source, [], limit, strip: 0, stopAtInvalid: true);

        // The codes read and the table made as they are: each string written to the output, or, with no output, only
        // counted; until the end code, the data's end or `limit` bytes.
        private long Run(ReadOnlySpan<byte> source, Span<byte> output, long limit, int strip, bool stopAtInvalid)
        {
            var counting = output.IsEmpty;
            long position = 0;
            var read = 0;
            uint bits = 0;
            var held = 0;
            var width = 9;
            var next = FirstFree;
            var previous = -1;
            while (position < limit)
            {
                while (held < width && read < source.Length)
                {
                    bits = (bits << 8) | source[read++];
                    held += 8;
                }

                if (held < width)
                {
                    break; // the data ended without the end code
                }

                held -= width;
                var code = (int)((bits >> held) & ((1u << width) - 1));
                if (code == EndCode)
                {
                    break;
                }

                if (code == ClearCode)
                {
                    (width, next, previous) = (9, FirstFree, -1);
                    continue;
                }

                if (code > (previous < 0 ? 255 : next) || (code == next && next == MaxCodes))
                {
                    // After a clear only a byte may come; else a code up to the one being made.
                    if (stopAtInvalid)
                    {
                        break;
                    }

                    throw Invalid(strip, code, next);
                }

                if (previous >= 0 && next < MaxCodes)
                {
                    // The previous string and the first byte of this one (of the previous one when this is the code being made).
                    _prefix[next] = (ushort)previous;
                    _last[next] = code < next ? _first[code] : _first[previous];
                    _first[next] = _first[previous];
                    _length[next] = _length[previous] + 1;
                    next++;
                    if (next + _earlyChange >= 1 << width && width < 12)
                    {
                        width++;
                    }
                }

                position = counting ? position + _length[code] : Write(code, output, (int)position);
                previous = code;
            }

            return position;
        }

        private int Write(int code, Span<byte> output, int position)
        {
            var end = position + _length[code];
            var k = end - 1;
            for (; k >= output.Length; k--)
            {
                code = _prefix[code];
            }

            for (; k >= position; k--)
            {
                output[k] = _last[code];
                code = _prefix[code];
            }

            return end;
        }

        private static OcrException Invalid(int strip, int code, int next) =>
            new(OcrErrorCode.CorruptImage,
                $"The TIFF image is damaged: strip {strip} has the LZW code {code} where the table holds codes up to {next - 1}.");
    }
}
