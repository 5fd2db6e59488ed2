using System.Buffers.Binary;
using System.IO.Compression;

namespace ScipixWorker.Benchmarks.Support;

/// <summary>
/// Writes pixels as a PNG straight from their rows, deflated for speed: how the engine handed on a lossless PDF scan's
/// samples and the pixels of JBIG2 and JPEG 2000 images until 2026-12-07, when it began to write them into the page
/// instead (<see cref="ScipixWorker.Ocr.Imaging.ScanSamples"/>). Kept here as the baseline that
/// <see cref="Preprocessing.LosslessPdfScanBenchmarks"/> measures that change against. Grey at 1 bit (a set bit white,
/// as PNG has it) or 8 bits, or RGB at 8 bits.
/// </summary>
internal static class PngBytes
{
    /// <summary>PNG's colour types used here.</summary>
    public enum Colour : byte
    {
        /// <summary>Grey, one sample a pixel.</summary>
        Grey = 0,

        /// <summary>Red, green and blue.</summary>
        Rgb = 2,
    }

    private static readonly uint[] CrcTable = MakeCrcTable();

    /// <summary>
    /// A PNG of <paramref name="height"/> rows of <paramref name="stride"/> bytes from <paramref name="pixels"/>, each row's
    /// first <c>ceil(width * bits * samples / 8)</c> bytes written.
    /// </summary>
    public static byte[] Write(int width, int height, Colour colour, int bitDepth, ReadOnlySpan<byte> pixels, int stride)
    {
        var samples = colour == Colour.Rgb ? 3 : 1;
        var rowBytes = checked((int)(((long)width * samples * bitDepth + 7) / 8));
        if (stride < rowBytes || pixels.Length < (long)stride * (height - 1) + rowBytes)
        {
            throw new ArgumentException("The pixels are fewer than the size says.", nameof(pixels));
        }

        using var output = new MemoryStream(capacity: Math.Max(1024, rowBytes * height / 8));
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = (byte)bitDepth;
        header[9] = (byte)colour;
        Chunk(output, "IHDR"u8, header);

        using (var data = new MemoryStream())
        {
            using (var deflate = new ZLibStream(data, CompressionLevel.Fastest, leaveOpen: true))
            {
                for (var y = 0; y < height; y++)
                {
                    deflate.WriteByte(0); // filter: none
                    deflate.Write(pixels.Slice(y * stride, rowBytes));
                }
            }

            Chunk(output, "IDAT"u8, data.GetBuffer().AsSpan(0, (int)data.Length));
        }

        Chunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static void Chunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, ~Crc(Crc(uint.MaxValue, type), data));
        output.Write(word);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
