using System.Buffers.Binary;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.PixelFormats;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

/// <summary>
/// The engine's own reader of TIFF pages in strips and tiles (<see cref="TiffStrips"/>): LZW as TIFF 6 defines it, deflate,
/// PackBits, the horizontal predictor, grey of both polarities, palette and RGB samples, CCITT Group 4 and Group 3 faxes,
/// and every other page left to ImageSharp (tiles and CMYK against libtiff's pixels: TiffScanTests). Pixels are
/// compared with ImageSharp's decode of the same file; the LZW streams with those of an encoder written here as TIFF 6
/// section 13 describes it (libtiff's: the width grows one code early, a clear code before the table is full, or none).
/// </summary>
public sealed class TiffStripsTests
{
    public static TheoryData<string, bool> Streams => new()
    {
        { "random", true }, // incompressible: the codes reach 12 bits and the table fills, then is cleared
        { "random", false }, // the same with the table left full: codes from the frozen table
        { "runs", true }, // long runs: the code being made is used at once (KwKwK) over and over
        { "text", true }, // rows of a scan: white with strokes
    };

    [Theory]
    [MemberData(nameof(Streams))]
    public void Lzw_codes_decode_to_the_bytes_encoded(string kind, bool clearWhenFull)
    {
        var data = Data(kind, 200_000);
        var encoded = LzwStreams.Encode(data, clearWhenFull);
        var output = new byte[data.Length + 100];

        var written = new TiffStrips.LzwTables().Decode(encoded, output, strip: 0);

        Assert.Equal(data.Length, written); // stopped at the end code, read at the width the encoder wrote it
        Assert.Equal(data, output[..data.Length]);
        Assert.True(encoded.Length < data.Length || kind == "random");
    }

    [Fact]
    public void Output_that_does_not_fit_is_dropped_and_the_rest_is_exact()
    {
        var data = Data("runs", 10_000);
        var output = new byte[7_777];

        var written = new TiffStrips.LzwTables().Decode(LzwStreams.Encode(data, clearWhenFull: true), output, strip: 0);

        Assert.Equal(output.Length, written);
        Assert.Equal(data[..output.Length], output);
    }

    [Fact]
    public void A_stream_that_ends_without_its_end_code_gives_what_it_holds()
    {
        var data = Data("text", 50_000);
        var encoded = LzwStreams.Encode(data, clearWhenFull: true);
        var output = new byte[data.Length];

        var written = new TiffStrips.LzwTables().Decode(encoded.AsSpan(0, encoded.Length / 2), output, strip: 0);

        Assert.InRange(written, 1, data.Length - 1);
        Assert.Equal(data[..written], output[..written]);
    }

    [Fact]
    public void A_code_the_table_does_not_hold_fails_as_a_damaged_image_that_names_its_strip()
    {
        // Clear, 'A', then 300 where the table holds codes up to 257 (the next free code is 258).
        var encoded = Codes((256, 9), (65, 9), (300, 9), (257, 9));

        var error = Assert.Throws<OcrException>(() => new TiffStrips.LzwTables().Decode(encoded, new byte[16], strip: 3));

        Assert.Equal(OcrErrorCode.CorruptImage, error.Code);
        Assert.Contains("strip 3", error.Message);
    }

    [Fact]
    public void The_first_code_after_a_clear_must_be_a_byte()
    {
        var encoded = Codes((256, 9), (258, 9), (257, 9));

        var error = Assert.Throws<OcrException>(() => new TiffStrips.LzwTables().Decode(encoded, new byte[16], strip: 0));

        Assert.Equal(OcrErrorCode.CorruptImage, error.Code);
    }

    [Theory]
    [InlineData(1, 40)] // grey
    [InlineData(3, 42)] // RGB
    [InlineData(3, 40)] // RGB, rows of a pixel and a third (a width the data does not divide into pixels)
    [InlineData(4, 44)] // CMYK
    [InlineData(2, 20)] // grey with alpha
    public void The_predictor_is_undone_as_each_sample_plus_the_one_a_pixel_to_its_left(int samplesPerPixel, int rowSamples)
    {
        var random = new Random(samplesPerPixel * 1000 + rowSamples);
        var differences = new byte[(rowSamples * 5) - 7]; // the last row cut short part way through a pixel
        random.NextBytes(differences);
        var expected = (byte[])differences.Clone();
        for (var start = 0; start < expected.Length; start += rowSamples)
        {
            for (var i = start + samplesPerPixel; i < Math.Min(start + rowSamples, expected.Length); i++)
            {
                expected[i] += expected[i - samplesPerPixel];
            }
        }

        var samples = (byte[])differences.Clone();
        TiffStrips.UndoHorizontalPredictor(samples, rowSamples, samplesPerPixel);

        Assert.Equal(expected, samples);
    }

    public static TheoryData<TiffBitsPerPixel, TiffPhotometricInterpretation, TiffCompression, TiffPredictor> ImageSharpPages => new()
    {
        { TiffBitsPerPixel.Bit24, TiffPhotometricInterpretation.Rgb, TiffCompression.None, TiffPredictor.None },
        { TiffBitsPerPixel.Bit24, TiffPhotometricInterpretation.Rgb, TiffCompression.Lzw, TiffPredictor.None },
        { TiffBitsPerPixel.Bit24, TiffPhotometricInterpretation.Rgb, TiffCompression.Lzw, TiffPredictor.Horizontal },
        { TiffBitsPerPixel.Bit8, TiffPhotometricInterpretation.BlackIsZero, TiffCompression.None, TiffPredictor.None },
        { TiffBitsPerPixel.Bit8, TiffPhotometricInterpretation.BlackIsZero, TiffCompression.Lzw, TiffPredictor.Horizontal },
        { TiffBitsPerPixel.Bit8, TiffPhotometricInterpretation.PaletteColor, TiffCompression.Lzw, TiffPredictor.None },
        { TiffBitsPerPixel.Bit8, TiffPhotometricInterpretation.PaletteColor, TiffCompression.None, TiffPredictor.None },
        { TiffBitsPerPixel.Bit24, TiffPhotometricInterpretation.Rgb, TiffCompression.Deflate, TiffPredictor.None },
        { TiffBitsPerPixel.Bit24, TiffPhotometricInterpretation.Rgb, TiffCompression.Deflate, TiffPredictor.Horizontal },
        { TiffBitsPerPixel.Bit8, TiffPhotometricInterpretation.BlackIsZero, TiffCompression.Deflate, TiffPredictor.Horizontal },
        { TiffBitsPerPixel.Bit24, TiffPhotometricInterpretation.Rgb, TiffCompression.PackBits, TiffPredictor.None },
        { TiffBitsPerPixel.Bit8, TiffPhotometricInterpretation.PaletteColor, TiffCompression.PackBits, TiffPredictor.None },
        { TiffBitsPerPixel.Bit1, TiffPhotometricInterpretation.WhiteIsZero, TiffCompression.CcittGroup4Fax, TiffPredictor.None }, // a fax
        { TiffBitsPerPixel.Bit1, TiffPhotometricInterpretation.WhiteIsZero, TiffCompression.CcittGroup3Fax, TiffPredictor.None },
    };

    [Theory]
    [MemberData(nameof(ImageSharpPages))]
    public void Pages_of_each_kind_decode_to_the_pixels_imagesharp_gives(
        TiffBitsPerPixel bits, TiffPhotometricInterpretation photometric, TiffCompression compression, TiffPredictor predictor)
    {
        var tiff = Encode(new TiffEncoder { BitsPerPixel = bits, PhotometricInterpretation = photometric, Compression = compression, HorizontalPredictor = predictor });

        var page = TiffStrips.TryDecode(tiff);

        Assert.NotNull(page);
        Assert.Equal((Width, Height), (page.Width, page.Height));
        Assert.Equal(Reference(tiff), page.Data[..(page.Stride * page.Height)].ToArray());
        page.Release();
    }

    [Theory]
    [InlineData(0, true, 5)] // WhiteIsZero, big-endian
    [InlineData(1, false, 5)] // BlackIsZero
    [InlineData(2, true, 5)] // RGB, big-endian
    [InlineData(2, false, 1)] // RGB uncompressed, a predictor named that belongs to no compression: not applied
    public void Hand_made_pages_in_strips_of_several_rows_decode_to_the_pixels_imagesharp_gives(int photometric, bool bigEndian, int compression)
    {
        var samples = photometric == 2 ? 3 : 1;
        var tiff = Build(new Page(samples, photometric, Compression: compression, RowsPerStrip: 7, Predictor: 2, BigEndian: bigEndian));

        var page = TiffStrips.TryDecode(tiff);

        Assert.NotNull(page);
        Assert.Equal(Reference(tiff), page.Data[..(page.Stride * page.Height)].ToArray());
        page.Release();
    }

    public static TheoryData<string> NotDecodedHere => new()
    {
        "ccitt group 4 with uncompressed runs", "ccitt modified huffman", "16-bit grey", "4-bit palette", "alpha as an extra sample", "turned (orientation 6)",
        "tiles without their offsets", "tiles of over 16 MiB", "planes", "bits from the lowest", "floating-point predictor", "inks other than CMYK", "old LZW",
        "BigTIFF", "PNG", "no photometric interpretation",
    };

    [Theory]
    [MemberData(nameof(NotDecodedHere))]
    public void Pages_of_other_kinds_are_left_to_imagesharp(string kind)
    {
        var file = kind switch
        {
            "ccitt modified huffman" => Encode(new TiffEncoder { BitsPerPixel = TiffBitsPerPixel.Bit1, Compression = TiffCompression.Ccitt1D }),
            "ccitt group 4 with uncompressed runs" => Retagged(Fax(), 296, 293), // ResolutionUnit's 2 as T6Options: uncompressed mode
            "16-bit grey" => Patched(Build(new Page(1, 1)), 258, 16), // ImageSharp 2.1 writes no 16-bit TIFF
            "4-bit palette" => Encode(new TiffEncoder { BitsPerPixel = TiffBitsPerPixel.Bit4, PhotometricInterpretation = TiffPhotometricInterpretation.PaletteColor }),
            "alpha as an extra sample" => Build(new Page(3, 2) { Extra = [(338, 3, 1, 2)] }),
            "turned (orientation 6)" => Build(new Page(3, 2) { Extra = [(274, 3, 1, 6)] }),
            "tiles without their offsets" => Build(new Page(3, 2) { Extra = [(322, 3, 1, 16), (323, 3, 1, 16)] }),
            "tiles of over 16 MiB" => Build(new Page(3, 2) { Extra = [(322, 4, 1, 4096), (323, 4, 1, 4096), (324, 4, 1, 8), (325, 4, 1, 8)] }),
            "planes" => Build(new Page(3, 2) { Extra = [(284, 3, 1, 2)] }),
            "bits from the lowest" => Build(new Page(3, 2) { Extra = [(266, 3, 1, 2)] }),
            "floating-point predictor" => Build(new Page(3, 2, Compression: 5, Predictor: 3)),
            "inks other than CMYK" => Build(new Page(4, 5) { Extra = [(332, 3, 1, 2)] }), // InkSet 2
            "old LZW" => OldLzw(),
            "no photometric interpretation" => Retagged(Build(new Page(1, 0)), 262, 65000),
            "BigTIFF" => new byte[] { (byte)'I', (byte)'I', 43, 0, 8, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0 },
            _ => Png(),
        };

        Assert.Null(TiffStrips.TryDecode(file));
    }

    [Fact]
    public void A_strip_that_starts_past_the_files_end_fails_as_a_damaged_image()
    {
        var error = Assert.Throws<OcrException>(() => TiffStrips.TryDecode(OffsetPastTheEnd()));

        Assert.Equal(OcrErrorCode.CorruptImage, error.Code);
        Assert.Contains("past the file's end", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_strip_whose_data_is_cut_short_leaves_its_last_rows_zero()
    {
        var tiff = Build(new Page(3, 2, RowsPerStrip: Height));
        var counts = Entry(tiff, 279);
        var full = BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(counts + 8));
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(counts + 8), full / 2); // the first half of the rows

        var page = TiffStrips.TryDecode(tiff)!;

        var reference = Reference(Build(new Page(3, 2, RowsPerStrip: Height)));
        Assert.Equal(reference[..(int)(full / 2)], page.Data[..(int)(full / 2)].ToArray());
        Assert.All(page.Data[(int)(full / 2)..(page.Stride * page.Height)].ToArray(), b => Assert.Equal(0, b));
        page.Release();
    }

    [Fact]
    public void Damaged_files_decode_or_fail_as_damaged_or_too_large_and_in_no_other_way()
    {
        var random = new Random(11);
        byte[][] sources =
        [
            Build(new Page(3, 2, Compression: 5, RowsPerStrip: 16, Predictor: 2)),
            Build(new Page(1, 0, Compression: 5, RowsPerStrip: 100, BigEndian: true)),
            Build(new Page(3, 2, RowsPerStrip: 50)),
            Fax(),
            Encode(new TiffEncoder { BitsPerPixel = TiffBitsPerPixel.Bit1, Compression = TiffCompression.CcittGroup3Fax }),
        ];
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < 600; i++)
        {
            var file = sources[i % sources.Length].ToArray();
            if (i % 4 == 3)
            {
                file = file[..random.Next(file.Length)]; // cut short
            }
            else
            {
                // A few bytes changed anywhere: the samples, the strips' codes, the directory and its arrays.
                var directory = (int)(file[0] == 'M' ? BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(4)) : BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)));
                for (var k = random.Next(1, 6); k > 0; k--)
                {
                    var at = random.Next(2) == 0 ? random.Next(file.Length) : Math.Min(file.Length - 1, directory + random.Next(120));
                    file[at] = (byte)random.Next(256);
                }
            }

            string outcome;
            try
            {
                var page = TiffStrips.TryDecode(file, (width, height) =>
                {
                    if ((long)width * height > 60_000_000)
                    {
                        throw new OcrException(OcrErrorCode.ImageTooLarge, "too large");
                    }
                });
                outcome = page is null ? "left to ImageSharp" : "decoded";
                page?.Release();
            }
            catch (OcrException error) when (error.Code is OcrErrorCode.CorruptImage or OcrErrorCode.ImageTooLarge)
            {
                outcome = error.Code.ToString();
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        // Every kind of outcome happened, so the mutations reached the codes, the directory and the sizes.
        Assert.True(outcomes.ContainsKey("decoded") && outcomes.ContainsKey("left to ImageSharp") && outcomes.ContainsKey(nameof(OcrErrorCode.CorruptImage)),
            string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}")));
    }

    [Fact]
    public void The_size_is_checked_before_the_page_is_allocated()
    {
        var tiff = Build(new Page(3, 2, RowsPerStrip: 50));
        (int, int)? checkedSize = null;

        var error = Assert.Throws<OcrException>(() => TiffStrips.TryDecode(tiff, (width, height) =>
        {
            checkedSize = (width, height);
            throw new OcrException(OcrErrorCode.ImageTooLarge, "too large");
        }));

        Assert.Equal(OcrErrorCode.ImageTooLarge, error.Code);
        Assert.Equal((Width, Height), checkedSize);
    }

    [Fact]
    public void A_page_is_decoded_without_allocating_beyond_its_tables()
    {
        var tiff = Encode(new TiffEncoder { BitsPerPixel = TiffBitsPerPixel.Bit24, Compression = TiffCompression.Lzw, HorizontalPredictor = TiffPredictor.Horizontal });
        TiffStrips.TryDecode(tiff)!.Release(); // the JIT's own allocations before measuring

        var before = GC.GetAllocatedBytesForCurrentThread();
        var page = TiffStrips.TryDecode(tiff)!;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The page's pixels are native memory (1.6 MB); the LZW tables are 28 KB. ImageSharp 2.1's decoder makes an
        // array for every code it adds to its table: megabytes for this page.
        Assert.True(page.IsNative);
        Assert.InRange(allocated, 0, 64 * 1024);
        page.Release();
    }

    private const int Width = 900;
    private const int Height = 600;

    // Test data for the LZW streams.
    private static byte[] Data(string kind, int length)
    {
        var random = new Random(7);
        var data = new byte[length];
        switch (kind)
        {
            case "random":
                random.NextBytes(data);
                break;
            case "runs":
                for (var i = 0; i < length;)
                {
                    var run = random.Next(1, 3000);
                    data.AsSpan(i, Math.Min(run, length - i)).Fill((byte)random.Next(4));
                    i += run;
                }

                break;
            default:
                for (var i = 0; i < length; i++)
                {
                    data[i] = (byte)(i % 977 / 7 % 5 == 0 && i / 977 % 3 == 0 ? 20 + (i % 11) : 250);
                }

                break;
        }

        return data;
    }

    // Codes of the given widths, highest bit first.
    private static byte[] Codes(params (int Code, int Width)[] codes)
    {
        var output = new List<byte>();
        ulong bits = 0;
        var held = 0;
        foreach (var (code, width) in codes)
        {
            bits = (bits << width) | (uint)code;
            for (held += width; held >= 8; held -= 8)
            {
                output.Add((byte)(bits >> (held - 8)));
            }
        }

        if (held > 0)
        {
            output.Add((byte)(bits << (8 - held)));
        }

        return [.. output];
    }

    private static Image<Rgb24> Drawing()
    {
        var image = new Image<Rgb24>(Width, Height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var ink = x / 7 % 5 == 0 && y / 11 % 3 == 0;
                    row[x] = ink ? new Rgb24(20, 30, 40) : new Rgb24((byte)(200 + (x % 50)), (byte)(180 + (y % 70)), 230);
                }
            }
        });
        return image;
    }

    private static byte[] Encode(TiffEncoder encoder)
    {
        using var image = Drawing();
        using var encoded = new MemoryStream();
        image.SaveAsTiff(encoded, encoder);
        return encoded.ToArray();
    }

    // The drawing as a CCITT Group 4 fax, ImageSharp's encoder.
    private static byte[] Fax() => Encode(new TiffEncoder { BitsPerPixel = TiffBitsPerPixel.Bit1, Compression = TiffCompression.CcittGroup4Fax });

    private static byte[] Png()
    {
        using var image = Drawing();
        using var encoded = new MemoryStream();
        image.SaveAsPng(encoded, new PngEncoder());
        return encoded.ToArray();
    }

    private static byte[] Reference(byte[] file)
    {
        using var image = Image.Load<Rgb24>(file);
        var pixels = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }

    // A page built here: the drawing's samples (grey: its green channel), in strips, uncompressed or LZW (5), with the
    // predictor or not, and extra directory entries.
    private sealed record Page(int Samples, int Photometric, int Compression = 1, int RowsPerStrip = 64, int Predictor = 1, bool BigEndian = false)
    {
        public (ushort Tag, ushort Type, uint Count, uint Value)[] Extra { get; init; } = [];
    }

    private static byte[] Build(Page page)
    {
        using var drawing = Drawing();
        var raw = new byte[Width * Height * page.Samples];
        drawing.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < Width; x++)
                {
                    var at = ((y * Width) + x) * page.Samples;
                    var sample = page.Samples == 1 ? [row[x].G] : new[] { row[x].R, row[x].G, row[x].B, (byte)0 };
                    sample.AsSpan(0, page.Samples).CopyTo(raw.AsSpan(at));
                }
            }
        });

        var rowBytes = Width * page.Samples;
        var strips = new List<byte[]>();
        for (var y = 0; y < Height; y += page.RowsPerStrip)
        {
            var strip = raw.AsSpan(y * rowBytes, Math.Min(page.RowsPerStrip, Height - y) * rowBytes).ToArray();
            if (page.Predictor == 2)
            {
                for (var r = 0; r < strip.Length / rowBytes; r++)
                {
                    for (var i = rowBytes - 1; i >= page.Samples; i--)
                    {
                        strip[(r * rowBytes) + i] -= strip[(r * rowBytes) + i - page.Samples];
                    }
                }
            }

            strips.Add(page.Compression == 5 ? LzwStreams.Encode(strip, clearWhenFull: true) : strip);
        }

        var file = new List<byte>(new byte[8]);
        var offsets = new List<uint>();
        foreach (var strip in strips)
        {
            offsets.Add((uint)file.Count);
            file.AddRange(strip);
        }

        var big = page.BigEndian;
        uint Array(IEnumerable<uint> values, int size)
        {
            var at = (uint)file.Count;
            foreach (var value in values)
            {
                var bytes = new byte[size];
                if (size == 2)
                {
                    TiffBytes.Write16(bytes, 0, (ushort)value, big);
                }
                else
                {
                    TiffBytes.Write32(bytes, 0, value, big);
                }

                file.AddRange(bytes);
            }

            return at;
        }

        var entries = new List<(ushort Tag, ushort Type, uint Count, uint Value)>
        {
            (256, 4, 1, Width), (257, 4, 1, Height),
            (258, 3, (uint)page.Samples, page.Samples > 2 ? Array(Enumerable.Repeat(8u, page.Samples), 2) : 8),
            (259, 3, 1, (uint)page.Compression), (262, 3, 1, (uint)page.Photometric),
            (273, 4, (uint)strips.Count, strips.Count == 1 ? offsets[0] : Array(offsets, 4)),
            (277, 3, 1, (uint)page.Samples), (278, 4, 1, (uint)page.RowsPerStrip),
            (279, 4, (uint)strips.Count, strips.Count == 1 ? (uint)strips[0].Length : Array(strips.Select(s => (uint)s.Length), 4)),
        };
        if (page.Predictor != 1)
        {
            entries.Add((317, 3, 1, (uint)page.Predictor));
        }

        entries.AddRange(page.Extra);
        entries.Sort((a, b) => a.Tag.CompareTo(b.Tag));
        if (file.Count % 2 == 1)
        {
            file.Add(0);
        }

        var directory = file.Count;
        var bytes = file.Concat(new byte[2 + (12 * entries.Count) + 4]).ToArray();
        (bytes[0], bytes[1]) = big ? ((byte)'M', (byte)'M') : ((byte)'I', (byte)'I');
        TiffBytes.Write16(bytes, 2, 42, big);
        TiffBytes.Write32(bytes, 4, (uint)directory, big);
        TiffBytes.Write16(bytes, directory, (ushort)entries.Count, big);
        for (var i = 0; i < entries.Count; i++)
        {
            var at = directory + 2 + (12 * i);
            var (tag, type, count, value) = entries[i];
            TiffBytes.Write16(bytes, at, tag, big);
            TiffBytes.Write16(bytes, at + 2, type, big);
            TiffBytes.Write32(bytes, at + 4, count, big);
            if (type == 3 && count == 1)
            {
                TiffBytes.Write16(bytes, at + 8, (ushort)value, big);
            }
            else
            {
                TiffBytes.Write32(bytes, at + 8, value, big);
            }
        }

        return bytes;
    }

    // An LZW page whose first strip begins as TIFF 5's LZW did (its codes lowest bit first).
    private static byte[] OldLzw()
    {
        var tiff = Build(new Page(3, 2, Compression: 5));
        var offsets = Entry(tiff, 273);
        var first = (int)BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan((int)BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(offsets + 8))));
        (tiff[first], tiff[first + 1]) = (0, 1);
        return tiff;
    }

    private static byte[] OffsetPastTheEnd()
    {
        var tiff = Build(new Page(3, 2, RowsPerStrip: Height));
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(Entry(tiff, 273) + 8), (uint)tiff.Length + 10);
        return tiff;
    }

    // A little-endian file with the inline SHORT value of one of its directory entries changed.
    private static byte[] Patched(byte[] tiff, ushort tag, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(Entry(tiff, tag) + 8), value);
        return tiff;
    }

    // A little-endian file with one of its directory entries given another tag (the tag then missing).
    private static byte[] Retagged(byte[] tiff, ushort tag, ushort to)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(Entry(tiff, tag)), to);
        return tiff;
    }

    // Where a little-endian file's directory entry for the tag is.
    private static int Entry(byte[] tiff, ushort tag)
    {
        var directory = (int)BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(4));
        for (var i = 0; i < BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(directory)); i++)
        {
            if (BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(directory + 2 + (12 * i))) == tag)
            {
                return directory + 2 + (12 * i);
            }
        }

        throw new InvalidOperationException($"no tag {tag}");
    }
}
