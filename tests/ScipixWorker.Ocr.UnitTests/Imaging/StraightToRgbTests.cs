using System.Buffers.Binary;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

/// <summary>
/// A JPEG, a PNG of RGB or grey samples without a transparent colour, and a TIFF page without extra samples are decoded
/// straight to RGB into memory the page keeps (<see cref="DecodeAllocator.TakePage"/>): the decode holds three bytes a
/// pixel, not four beside the page's copy; the pixels are those the four-byte decode gave. A PNG or TIFF that may carry
/// alpha is still composed onto white.
/// </summary>
public sealed class StraightToRgbTests
{
    private static readonly ImageLoader Loader = new(new OcrEngineOptions());

    [Fact]
    public void A_large_jpeg_page_is_the_decoded_memory_itself_with_the_pixels_of_a_four_byte_decode()
    {
        var jpeg = Jpeg(900, 600);
        using var decoded = Loader.Load(jpeg);

        var page = decoded.Page(0);

        Assert.True(page.IsNative);
        Assert.Equal((900, 600), (page.Width, page.Height));
        Assert.Equal(Reference(jpeg), page.Data[..(page.Stride * page.Height)].ToArray());
        // Three bytes a pixel and the decoder's few rows: the four-byte image it replaced alone was 2.16 MB.
        Assert.InRange(decoded.DecodePeakBytes!.Value, 900 * 600 * 3, (900 * 600 * 3) + (256 * 1024));
        page.Release();
    }

    [Fact]
    public void The_page_is_handed_on_once_and_outlives_the_decoded_file()
    {
        var decoded = Loader.Load(Jpeg(900, 600));
        var page = decoded.Page(0);

        Assert.Throws<ObjectDisposedException>(() => decoded.Page(0));
        decoded.ReleasePixels();
        decoded.Dispose();

        Assert.Equal(Reference(Jpeg(900, 600))[..30], page.Row(0)[..30].ToArray()); // still the page's to read
        page.Release();
    }

    [Fact]
    public void A_page_never_asked_for_is_released_with_the_file()
    {
        using var decoded = Loader.Load(Jpeg(900, 600));

        decoded.ReleasePixels();

        Assert.Throws<ObjectDisposedException>(() => decoded.Page(0));
    }

    [Fact]
    public void A_jpeg_turned_by_its_exif_orientation_is_handed_on_upright()
    {
        var jpeg = Jpeg(900, 600, orientation: 6);
        using var decoded = Loader.Load(jpeg);

        var page = decoded.Page(0);

        Assert.True(page.IsNative);
        Assert.Equal((600, 900), (page.Width, page.Height));
        Assert.Equal(Reference(jpeg), page.Data[..(page.Stride * page.Height)].ToArray());
        page.Release();
    }

    [Fact]
    public void A_small_jpeg_is_copied_into_a_pooled_array()
    {
        var jpeg = Jpeg(120, 40);
        using var decoded = Loader.Load(jpeg);

        var page = decoded.Page(0);

        Assert.False(page.IsNative);
        Assert.Equal(Reference(jpeg), page.Data[..(page.Stride * page.Height)].ToArray());
        page.Release();
    }

    [Theory]
    [InlineData(PngColorType.Rgb)]
    [InlineData(PngColorType.Grayscale)]
    public void A_png_without_alpha_is_decoded_straight_to_rgb(PngColorType colorType)
    {
        var png = Png(colorType, transparentBlack: false);
        using var decoded = Loader.Load(png);

        var page = decoded.Page(0);

        Assert.Equal(Reference(png), page.Data[..(page.Stride * page.Height)].ToArray());
        Assert.InRange(decoded.DecodePeakBytes!.Value, 900 * 600 * 3, (900 * 600 * 3) + (256 * 1024));
        Assert.Throws<ObjectDisposedException>(() => decoded.Page(0)); // handed on, not copied
        page.Release();
    }

    [Fact]
    public void A_png_with_a_transparent_colour_is_composed_onto_white()
    {
        using var decoded = Loader.Load(Png(PngColorType.Rgb, transparentBlack: true));

        var page = decoded.Page(0);

        // The strokes (black, the transparent colour) show the white under them; the gradient keeps its colour.
        Assert.Equal([255, 255, 255], page.Row(0)[..3].ToArray());
        Assert.Equal([207, 180, 230], page.Row(0).Slice(7 * 3, 3).ToArray());
        Assert.True(decoded.DecodePeakBytes >= 900 * 600 * 4); // the four-byte decode
        page.Release();
    }

    [Theory]
    [InlineData(TiffBitsPerPixel.Bit24, TiffPhotometricInterpretation.Rgb, TiffCompression.None)]
    [InlineData(TiffBitsPerPixel.Bit24, TiffPhotometricInterpretation.Rgb, TiffCompression.Lzw)]
    [InlineData(TiffBitsPerPixel.Bit8, TiffPhotometricInterpretation.BlackIsZero, TiffCompression.Deflate)]
    [InlineData(TiffBitsPerPixel.Bit8, TiffPhotometricInterpretation.PaletteColor, TiffCompression.Lzw)]
    [InlineData(TiffBitsPerPixel.Bit1, TiffPhotometricInterpretation.WhiteIsZero, TiffCompression.CcittGroup4Fax)]
    public void A_tiff_without_extra_samples_is_decoded_straight_to_rgb(
        TiffBitsPerPixel bits, TiffPhotometricInterpretation photometric, TiffCompression compression)
    {
        var tiff = Tiff(bits, photometric, compression);
        using var decoded = Loader.Load(tiff);

        var page = decoded.Page(0);

        Assert.True(page.IsNative);
        Assert.Equal(Reference(tiff), page.Data[..(page.Stride * page.Height)].ToArray());
        // Three bytes a pixel and the decoder's strip buffers, where the four-byte decode held 4 beside the page's copy.
        Assert.InRange(decoded.DecodePeakBytes!.Value, 900 * 600 * 3, 900 * 600 * 3.5);
        page.Release();
    }

    [Fact]
    public void A_tiff_with_an_alpha_sample_is_composed_onto_white()
    {
        var tiff = RgbaTiff(900, 600);
        using var decoded = Loader.Load(tiff);

        var page = decoded.Page(0);

        Assert.Equal([255, 255, 255], page.Row(0)[..3].ToArray()); // transparent: white
        Assert.Equal([10, 20, 30], page.Row(0).Slice(3, 3).ToArray()); // opaque: its colour
        Assert.True(decoded.DecodePeakBytes >= 900 * 600 * 4); // the four-byte decode
        page.Release();
    }

    [Fact]
    public void Pixels_of_another_allocator_are_not_taken()
    {
        var configuration = Configuration.Default.Clone();
        configuration.PreferContiguousImageBuffers = true;
        using var image = new Image<Rgb24>(configuration, 900, 600);
        var allocator = new DecodeAllocator(new SimpleGcMemoryAllocator(), long.MaxValue, rgbPages: true);

        Assert.Null(allocator.TakePage(image));
    }

    // A gradient with text-like strokes, so that the decoder's colour conversion and upsampling have work to do.
    private static Image<Rgba32> Drawing(int width, int height)
    {
        var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var ink = (x / 7 % 5 == 0 && y / 11 % 3 == 0) ? 0 : 1;
                    row[x] = new Rgba32((byte)(ink * (200 + (x % 50))), (byte)(ink * (180 + (y % 70))), (byte)(ink * 230), 255);
                }
            }
        });
        return image;
    }

    // The drawing as an 8-bit PNG of RGB or grey samples, black marked transparent (tRNS) or not.
    private static byte[] Png(PngColorType colorType, bool transparentBlack)
    {
        using var drawing = Drawing(900, 600);
        using var image = drawing.CloneAs<Rgb24>(); // ImageSharp writes a transparent colour only for pixels without alpha
        if (transparentBlack)
        {
            var metadata = image.Metadata.GetPngMetadata();
            metadata.ColorType = colorType;
            metadata.HasTransparency = true;
            metadata.TransparentRgb24 = new Rgb24(0, 0, 0);
        }

        using var encoded = new MemoryStream();
        image.SaveAsPng(encoded, new PngEncoder { ColorType = colorType, BitDepth = PngBitDepth.Bit8 });
        return encoded.ToArray();
    }

    private static byte[] Tiff(TiffBitsPerPixel bits, TiffPhotometricInterpretation photometric, TiffCompression compression)
    {
        using var image = Drawing(900, 600);
        using var encoded = new MemoryStream();
        image.SaveAsTiff(encoded, new TiffEncoder { BitsPerPixel = bits, PhotometricInterpretation = photometric, Compression = compression });
        return encoded.ToArray();
    }

    // An uncompressed RGBA TIFF (ExtraSamples: unassociated alpha), every other pixel transparent.
    private static byte[] RgbaTiff(int width, int height)
    {
        var pixels = width * height * 4;
        var file = new byte[8 + pixels + 8 + 2 + (10 * 12) + 4];
        var span = file.AsSpan();
        "II*\0"u8.CopyTo(span);
        for (var i = 0; i < width * height; i++)
        {
            (file[8 + (i * 4)], file[9 + (i * 4)], file[10 + (i * 4)], file[11 + (i * 4)]) = (10, 20, 30, (byte)(i % 2 == 0 ? 0 : 255));
        }

        var bitsAt = 8 + pixels;
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[(bitsAt + (2 * i))..], 8);
        }

        var directory = bitsAt + 8;
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)directory);
        (ushort Tag, ushort Type, uint Count, uint Value)[] entries =
        [
            (256, 4, 1, (uint)width), (257, 4, 1, (uint)height), (258, 3, 4, (uint)bitsAt), (259, 3, 1, 1), (262, 3, 1, 2),
            (273, 4, 1, 8), (277, 3, 1, 4), (278, 4, 1, (uint)height), (279, 4, 1, (uint)pixels), (338, 3, 1, 2),
        ];
        BinaryPrimitives.WriteUInt16LittleEndian(span[directory..], (ushort)entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = span.Slice(directory + 2 + (12 * i), 12);
            BinaryPrimitives.WriteUInt16LittleEndian(entry, entries[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], entries[i].Type);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], entries[i].Count);
            if (entries[i].Type == 3 && entries[i].Count == 1)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(entry[8..], (ushort)entries[i].Value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], entries[i].Value);
            }
        }

        return file;
    }

    private static byte[] Jpeg(int width, int height, ushort orientation = 1)
    {
        using var image = Drawing(width, height);
        if (orientation != 1)
        {
            image.Metadata.ExifProfile = new ExifProfile();
            image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, orientation);
        }

        using var encoded = new MemoryStream();
        image.SaveAsJpeg(encoded);
        return encoded.ToArray();
    }

    // What the loader gave before for an image without alpha: ImageSharp's four-byte decode, turned upright, its R, G and B.
    private static byte[] Reference(byte[] encoded)
    {
        using var image = Image.Load<Rgba32>(encoded);
        image.Mutate(x => x.AutoOrient());
        var rgb = new byte[image.Width * image.Height * 3];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var o = ((y * rows.Width) + x) * 3;
                    (rgb[o], rgb[o + 1], rgb[o + 2]) = (row[x].R, row[x].G, row[x].B);
                }
            }
        });
        return rgb;
    }
}
