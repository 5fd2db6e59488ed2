using System.Buffers.Binary;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>Every limit violation and damaged file gives a typed error, never a crash or a hang.</summary>
[Collection(EngineCollection.Name)]
public sealed class InvalidInputTests(EngineFixture fixture)
{
    private OcrErrorCode ErrorOf(byte[] data, OcrEngine? engine = null) =>
        Assert.Throws<OcrException>(() => (engine ?? fixture.Engine).Recognize(data, OcrMode.Full, TestContext.Current.CancellationToken)).Code;

    [Fact]
    public void Empty_input_is_an_empty_image() => Assert.Equal(OcrErrorCode.EmptyImage, ErrorOf([]));

    [Fact]
    public void Text_is_an_unsupported_format() =>
        Assert.Equal(OcrErrorCode.UnsupportedFormat, ErrorOf("Plain text is not an image"u8.ToArray()));

    [Fact]
    public void Truncated_png_is_corrupt()
    {
        var png = TextImages.Encode(TextImages.Line("truncated"));
        Assert.Equal(OcrErrorCode.CorruptImage, ErrorOf(png[..(png.Length / 2)]));
    }

    [Fact]
    public void Truncated_jpeg_header_is_corrupt()
    {
        var jpeg = Fixtures.Bytes("sroie", "receipt_000.jpg");
        Assert.Equal(OcrErrorCode.CorruptImage, ErrorOf(jpeg[..200]));
    }

    [Fact]
    public void Garbage_after_a_png_signature_is_corrupt()
    {
        var data = new byte[4096];
        new Random(7).NextBytes(data);
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        signature.CopyTo(data, 0);
        Assert.Equal(OcrErrorCode.CorruptImage, ErrorOf(data));
    }

    [Fact]
    public void File_over_the_byte_limit_is_too_large()
    {
        using var engine = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, MaxImageBytes = 1000 });
        Assert.Equal(OcrErrorCode.ImageTooLarge, ErrorOf(Fixtures.Bytes("sroie", "receipt_000.jpg"), engine));
    }

    [Fact]
    public void Page_over_the_pixel_limit_is_too_large()
    {
        using var engine = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, MaxPixels = 463 * 1013 - 1 });
        Assert.Equal(OcrErrorCode.ImageTooLarge, ErrorOf(Fixtures.Bytes("sroie", "receipt_000.jpg"), engine));
    }

    [Fact]
    public void Page_over_the_side_limit_is_too_large()
    {
        using var engine = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, MaxSide = 1000 });
        Assert.Equal(OcrErrorCode.ImageTooLarge, ErrorOf(Fixtures.Bytes("sroie", "receipt_000.jpg"), engine));
    }

    [Fact]
    public void Decompression_bomb_is_refused_from_its_header_before_decoding()
    {
        // A valid PNG header that claims 60000 x 60000 pixels, followed by nothing: the limit must trip on
        // the header alone (decoding would allocate 14 GB).
        Assert.Equal(OcrErrorCode.ImageTooLarge, ErrorOf(PngHeader(60_000, 60_000)));
    }

    [Fact]
    public void Cancelled_request_stops_with_operation_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            fixture.Engine.Recognize(Fixtures.Bytes("sroie", "receipt_000.jpg"), OcrMode.Full, cancelled.Token));
    }

    private static byte[] PngHeader(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        var chunk = new byte[4 + 4 + 13 + 4];
        BinaryPrimitives.WriteInt32BigEndian(chunk, 13);
        "IHDR"u8.CopyTo(chunk.AsSpan(4));
        ihdr.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(21), Crc32(chunk.AsSpan(4, 17)));
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. chunk];
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
