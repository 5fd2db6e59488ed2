using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.PixelFormats;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// A scanner's LZW TIFF page (horizontal predictor, RGB or 8-bit grey), a deflated or PackBits RGB page, or a Group 4
/// fax decoded to RGB two ways: by the engine's own strip
/// reader (<see cref="TiffStrips"/>, what <see cref="ImageLoader"/> uses for such pages) and by ImageSharp 2.1 straight
/// to <see cref="Rgb24"/> (what it used before). The receipt scaled to each size, encoded once by ImageSharp's encoder.
/// The allocated column is the point: ImageSharp's LZW decoder makes an array for every code it adds to its table.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class TiffDecodeBenchmarks
{
    private byte[] _tiff = [];

    /// <summary>Longest side of the page, in pixels (3,072: a receipt scanned at about 300 dpi).</summary>
    [Params(1024, 3072)]
    public int LongSide { get; set; }

    /// <summary>
    /// The samples: RGB or 8-bit grey (LZW), black and white (<c>fax</c>: CCITT Group 4), or RGB deflated (with the
    /// predictor) or in PackBits.
    /// </summary>
    [Params("rgb", "grey", "fax", "deflate", "packbits")]
    public string Samples { get; set; } = "rgb";

    [GlobalSetup]
    public void Setup()
    {
        var page = Assets.Receipt(LongSide);
        using var image = Image.LoadPixelData<Rgb24>(page.Data[..(page.Stride * page.Height)], page.Width, page.Height);
        using var encoded = new MemoryStream();
        image.SaveAsTiff(encoded, Samples switch
        {
            "fax" => new TiffEncoder { Compression = TiffCompression.CcittGroup4Fax, BitsPerPixel = TiffBitsPerPixel.Bit1 },
            "deflate" => new TiffEncoder { Compression = TiffCompression.Deflate, HorizontalPredictor = TiffPredictor.Horizontal, BitsPerPixel = TiffBitsPerPixel.Bit24 },
            "packbits" => new TiffEncoder { Compression = TiffCompression.PackBits, BitsPerPixel = TiffBitsPerPixel.Bit24 },
            _ => new TiffEncoder
            {
                Compression = TiffCompression.Lzw,
                HorizontalPredictor = TiffPredictor.Horizontal,
                BitsPerPixel = Samples == "rgb" ? TiffBitsPerPixel.Bit24 : TiffBitsPerPixel.Bit8,
                PhotometricInterpretation = Samples == "rgb" ? TiffPhotometricInterpretation.Rgb : TiffPhotometricInterpretation.BlackIsZero,
            },
        });
        _tiff = encoded.ToArray();
        Console.WriteLine($"// receipt at {LongSide} px, {Samples}: {page.Width}x{page.Height}, TIFF {_tiff.Length} B");
    }

    [Benchmark(Baseline = true)]
    public int ImageSharpRgb24()
    {
        using var image = Image.Load<Rgb24>(_tiff);
        return image.Width;
    }

    [Benchmark]
    public int Strips()
    {
        var page = TiffStrips.TryDecode(_tiff) ?? throw new InvalidOperationException("not a page TiffStrips decodes");
        page.Release();
        return page.Width;
    }
}
