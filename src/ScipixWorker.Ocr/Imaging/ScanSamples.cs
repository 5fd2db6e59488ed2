using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Graphics.Colors;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// A lossless PDF scan's samples as its filters decode them (Flate, LZW, run-length, CCITT fax), written straight into
/// the page's RGB buffer, turned as the page shows it: no PNG is made of them to be decoded again. Scanners and fax
/// software write their lossless pages so: 8-bit grey or RGB, black and white (CCITT or 1-bit Flate), a palette, a
/// stencil mask; and the pixels jbig2dec and OpenJPEG decode from JBIG2 and JPEG 2000 images (<see cref="Bilevel"/>,
/// <see cref="Pixels"/>). Against the PNG round trip (docs/benchmarks.md, "Lossless PDF scans written from their samples"):
/// 0.27x the time and 0.07x the memory allocated for a 1-bit page, 0.55-0.70x the time for CCITT, grey and RGB ones.
/// </summary>
/// <remarks>
/// Taken: DeviceGray of 1, 2, 4 or 8 bits (its /Decode array absent, [0 1] or [1 0]); DeviceRGB of 8 bits (no /Decode
/// but the identity); Indexed over DeviceGray or DeviceRGB of 1, 2, 4 or 8 bits (no /Decode but the identity), an index
/// past the table's last entry taking that entry; a 1-bit stencil mask (/ImageMask) as black where it paints, white
/// elsewhere. Not soft-masked or masked images (their colours depend on what lies under them) nor any other colour space
/// (CMYK, ICC-based, Lab, calibrated) or /Decode array: those go through PdfPig's PNG as before. The pixels are those of
/// PdfPig's PNG, turned as ImageSharp turns it (PdfLosslessScanTests).
/// </remarks>
internal sealed class ScanSamples
{
    private readonly ReadOnlyMemory<byte> _data;
    private readonly int _bits;
    private readonly bool _rgb;

    // For one-component samples: the RGB of every sample value (3 bytes each, 2^bits values).
    private readonly byte[]? _colours;

    private ScanSamples(ReadOnlyMemory<byte> data, int width, int height, int bits, bool rgb, byte[]? colours, int rowBytes = 0)
    {
        _data = data;
        Width = width;
        Height = height;
        _bits = bits;
        _rgb = rgb;
        _colours = colours;
        RowBytes = rowBytes > 0 ? rowBytes : (int)(((long)width * bits * (rgb ? 3 : 1) + 7) / 8);
    }

    /// <summary>
    /// Black-and-white rows decoded elsewhere (a JBIG2 page, <see cref="Jbig2Codec"/>): <paramref name="rowBytes"/> bytes a
    /// row, the bits of a byte from the highest, a set bit black when <paramref name="setIsBlack"/>, else white.
    /// </summary>
    public static ScanSamples Bilevel(byte[] bits, int width, int height, int rowBytes, bool setIsBlack)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowBytes, (width + 7) / 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(bits.Length, (long)rowBytes * height);
        return new(bits, width, height, 1, rgb: false, GreyLevels(1, inverted: setIsBlack), rowBytes);
    }

    /// <summary>8-bit grey (one channel) or RGB (three) pixels decoded elsewhere (a JPEG 2000 image, <see cref="Jpeg2000Codec"/>), rows one after another.</summary>
    public static ScanSamples Pixels(byte[] samples, int width, int height, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples.Length, (long)width * height * channels);
        return channels == 3
            ? new(samples, width, height, 8, rgb: true, colours: null)
            : new(samples, width, height, 8, rgb: false, GreyLevels(8, inverted: false));
    }

    /// <summary>
    /// The RGB of each value of a grey sample of <paramref name="bits"/> bits (3 bytes a value, for <see cref="ExpandRow"/>):
    /// 0 black to the largest white, or the other way round when <paramref name="inverted"/> (a /Decode of [1 0]).
    /// </summary>
    internal static byte[] GreyLevels(int bits, bool inverted)
    {
        var values = 1 << bits;
        var colours = new byte[values * 3];
        for (var v = 0; v < values; v++)
        {
            var level = (byte)(((v * 255) + ((values - 1) / 2)) / (values - 1));
            colours.AsSpan(v * 3, 3).Fill(inverted ? (byte)(255 - level) : level);
        }

        return colours;
    }

    /// <summary>The image's size in samples, before any turn.</summary>
    public int Width { get; }

    /// <summary>The image's height in samples, before any turn.</summary>
    public int Height { get; }

    /// <summary>Bytes a row of samples takes: rows begin on a byte.</summary>
    public int RowBytes { get; }

    /// <summary>
    /// The samples of <paramref name="image"/> when it is of a kind taken here (see the remarks) and its filters decode
    /// to enough bytes for all its rows; else null, and the image is left to PdfPig's PNG.
    /// </summary>
    /// <exception cref="Exception">PdfPig's exceptions for a damaged stream (the caller maps them).</exception>
    public static ScanSamples? Of(IPdfImage image)
    {
        if (image.WidthInSamples <= 0 || image.HeightInSamples <= 0 || image.MaskImage is not null
            || image.ImageDictionary.ContainsKey(UglyToad.PdfPig.Tokens.NameToken.Smask) || image.ImageDictionary.ContainsKey(UglyToad.PdfPig.Tokens.NameToken.Mask)
            || image.BitsPerComponent is not (1 or 2 or 4 or 8))
        {
            return null;
        }

        var bits = image.BitsPerComponent;
        var values = 1 << bits;
        byte[]? colours;
        var rgb = false;
        switch (image.ColorSpaceDetails)
        {
            // A stencil paints where its decoded sample is 0, in the colour it is drawn in (black as a page scan; a stencil
            // over another image is multiplied with it), and leaves the rest white: the samples of 1-bit grey.
            case var _ when image.IsImageMask && (bits != 1 || !IsGreyDecode(Decode(image))):
                return null;
            case var space when (image.IsImageMask || space is { Type: ColorSpace.DeviceGray }) && Decode(image) is var decode && IsGreyDecode(decode):
                colours = GreyLevels(bits, inverted: decode.Count == 2 && decode[0] > decode[1]);
                break;
            case { Type: ColorSpace.DeviceRGB } when bits == 8 && Decode(image) is var decode && (decode.Count == 0 || IsIdentity(decode, 3, 1)):
                colours = null;
                rgb = true;
                break;
            case IndexedColorSpaceDetails { BaseColorSpace.Type: ColorSpace.DeviceGray or ColorSpace.DeviceRGB } indexed
                when Decode(image) is var decode && (decode.Count == 0 || IsPair(decode, 0, values - 1)):
                colours = Palette(indexed, values);
                if (colours is null)
                {
                    return null;
                }

                break;
            default:
                return null;
        }

        if (!image.TryGetBytesAsMemory(out var data))
        {
            return null;
        }

        var samples = new ScanSamples(data, image.WidthInSamples, image.HeightInSamples, bits, rgb, colours);
        return data.Length < (long)samples.RowBytes * samples.Height ? null : samples;
    }

    /// <summary>The samples and what they mean (size, depth, colours) added to <paramref name="hash"/>: a picture's cache key.</summary>
    public void AppendTo(IncrementalHash hash)
    {
        Span<byte> layout = stackalloc byte[13];
        BinaryPrimitives.WriteInt32LittleEndian(layout, Width);
        BinaryPrimitives.WriteInt32LittleEndian(layout[4..], Height);
        BinaryPrimitives.WriteInt32LittleEndian(layout[8..], _bits);
        layout[12] = _rgb ? (byte)1 : (byte)0;
        hash.AppendData(layout);
        hash.AppendData(_colours ?? []);
        hash.AppendData(_data.Span[..(RowBytes * Height)]);
    }

    /// <summary>
    /// The samples as an RGB page turned <paramref name="clockwiseTurn"/> degrees (0, 90, 180 or 270), in a rented buffer
    /// (give it back with <see cref="RgbBuffer.Release"/>).
    /// </summary>
    public RgbBuffer ToRgb(int clockwiseTurn)
    {
        var sideways = clockwiseTurn is 90 or 270;
        var page = RgbBuffer.Rent(sideways ? Height : Width, sideways ? Width : Height);
        var row = clockwiseTurn == 0 ? null : ArrayPool<byte>.Shared.Rent(Width * 3);
        try
        {
            var data = _data.Span;
            var target = page.Data;
            for (var y = 0; y < Height; y++)
            {
                var source = data.Slice(y * RowBytes, RowBytes);
                var rgb = row is null ? target.Slice(y * page.Stride, page.Stride) : row.AsSpan(0, Width * 3);
                Expand(source, rgb);
                if (row is not null)
                {
                    Place(rgb, y, page, clockwiseTurn);
                }
            }

            return page;
        }
        catch
        {
            page.Release();
            throw;
        }
        finally
        {
            if (row is not null)
            {
                ArrayPool<byte>.Shared.Return(row);
            }
        }
    }

    // One row of samples as RGB.
    private void Expand(ReadOnlySpan<byte> source, Span<byte> rgb)
    {
        if (_rgb)
        {
            source[..rgb.Length].CopyTo(rgb);
            return;
        }

        ExpandRow(source, rgb, Width, _bits, _colours);
    }

    /// <summary>
    /// One row of <paramref name="width"/> samples of <paramref name="bits"/> bits (1, 2, 4 or 8; a byte's from its highest
    /// bit) as RGB, each sample value <c>v</c> taking <paramref name="colours"/>[3v..3v+2]: a palette, grey levels, or black
    /// and white (a fax's rows, <see cref="TiffStrips"/>).
    /// </summary>
    internal static void ExpandRow(ReadOnlySpan<byte> source, Span<byte> rgb, int width, int bits, ReadOnlySpan<byte> colours)
    {
        if (bits == 8)
        {
            for (var x = 0; x < width; x++)
            {
                colours.Slice(source[x] * 3, 3).CopyTo(rgb.Slice(x * 3, 3));
            }

            return;
        }

        var perByte = 8 / bits;
        var mask = (1 << bits) - 1;
        for (int start = 0, at = 0; start < width; start += perByte, at++)
        {
            var packed = source[at];
            var count = Math.Min(perByte, width - start);
            for (var i = 0; i < count; i++)
            {
                var value = (packed >> (8 - (bits * (i + 1)))) & mask;
                colours.Slice(value * 3, 3).CopyTo(rgb.Slice((start + i) * 3, 3));
            }
        }
    }

    // Stored row y of RGB pixels written where the turn puts it: a clockwise quarter turn makes stored row y the column
    // Height - 1 - y, top to bottom; three quarters make it column y, bottom to top; a half turn row Height - 1 - y,
    // right to left.
    private void Place(ReadOnlySpan<byte> rgb, int y, RgbBuffer page, int clockwiseTurn)
    {
        var target = page.Data;
        var stride = page.Stride;
        var width = Width;
        switch (clockwiseTurn)
        {
            case 90:
                for (int x = 0, at = (Height - 1 - y) * 3; x < width; x++, at += stride)
                {
                    rgb.Slice(x * 3, 3).CopyTo(target.Slice(at, 3));
                }

                break;
            case 180:
                for (int x = 0, at = ((Height - y) * stride) - 3; x < width; x++, at -= 3)
                {
                    rgb.Slice(x * 3, 3).CopyTo(target.Slice(at, 3));
                }

                break;
            case 270:
                for (int x = 0, at = ((width - 1) * stride) + (y * 3); x < width; x++, at -= stride)
                {
                    rgb.Slice(x * 3, 3).CopyTo(target.Slice(at, 3));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(clockwiseTurn), clockwiseTurn, "A turn is 0, 90, 180 or 270 degrees.");
        }
    }

    // The RGB of each index, from the table of an Indexed colour space over grey or RGB; an index past the last entry
    // (HiVal) takes the last entry. Null when the table is shorter than HiVal + 1 entries.
    private static byte[]? Palette(IndexedColorSpaceDetails indexed, int values)
    {
        var components = indexed.BaseColorSpace.Type == ColorSpace.DeviceRGB ? 3 : 1;
        var table = indexed.ColorTable;
        var last = indexed.HiVal;
        if (table.Length < (last + 1) * components)
        {
            return null;
        }

        var colours = new byte[values * 3];
        for (var v = 0; v < values; v++)
        {
            var entry = Math.Min(v, last) * components;
            colours[v * 3] = table[entry];
            colours[(v * 3) + 1] = table[entry + (components - 1) / 2];
            colours[(v * 3) + 2] = table[entry + components - 1];
        }

        return colours;
    }

    private static IReadOnlyList<double> Decode(IPdfImage image) => image.Decode ?? [];

    // No /Decode array, the identity or its inverse: [0 1] or [1 0].
    private static bool IsGreyDecode(IReadOnlyList<double> decode) => decode.Count == 0 || IsPair(decode, 0, 1) || IsPair(decode, 1, 0);

    private static bool IsPair(IReadOnlyList<double> decode, double low, double high) =>
        decode.Count == 2 && decode[0] == low && decode[1] == high;

    private static bool IsIdentity(IReadOnlyList<double> decode, int components, double high)
    {
        if (decode.Count != components * 2)
        {
            return false;
        }

        for (var i = 0; i < components; i++)
        {
            if (decode[2 * i] != 0 || decode[(2 * i) + 1] != high)
            {
                return false;
            }
        }

        return true;
    }
}
