using System.Buffers.Binary;
using SkiaSharp;

namespace ScipixWorker.Ocr.IntegrationTests.Support;

/// <summary>
/// Writes a baseline multi-page TIFF (uncompressed 8-bit RGB, one strip per page): ImageSharp 2.1 encodes only
/// single-page TIFFs, and multi-page scans are what fax and document-scanner pipelines send.
/// </summary>
public static class MultiPageTiff
{
    public static byte[] Encode(IReadOnlyList<SKBitmap> pages)
    {
        using var file = new MemoryStream();
        file.Write("II*\0"u8);
        var firstLink = Reserve(file);
        var link = firstLink;
        for (var index = 0; index < pages.Count; index++)
        {
            var page = pages[index];
            var strip = file.Position;
            for (var y = 0; y < page.Height; y++)
            {
                for (var x = 0; x < page.Width; x++)
                {
                    var c = page.GetPixel(x, y);
                    file.Write([c.Red, c.Green, c.Blue]);
                }
            }

            var bitsPerSample = file.Position;
            file.Write([8, 0, 8, 0, 8, 0]);
            Align(file);
            var directory = file.Position;
            Patch(file, link, (uint)directory);
            (ushort Tag, ushort Type, uint Count, uint Value)[] entries =
            [
                (256, 4, 1, (uint)page.Width),                       // ImageWidth
                (257, 4, 1, (uint)page.Height),                      // ImageLength
                (258, 3, 3, (uint)bitsPerSample),                    // BitsPerSample 8,8,8
                (259, 3, 1, 1),                                      // Compression: none
                (262, 3, 1, 2),                                      // PhotometricInterpretation: RGB
                (273, 4, 1, (uint)strip),                            // StripOffsets
                (277, 3, 1, 3),                                      // SamplesPerPixel
                (278, 4, 1, (uint)page.Height),                      // RowsPerStrip
                (279, 4, 1, (uint)(page.Width * page.Height * 3)),   // StripByteCounts
                (284, 3, 1, 1),                                      // PlanarConfiguration: chunky
            ];
            var entry = new byte[12].AsSpan();
            BinaryPrimitives.WriteUInt16LittleEndian(entry, (ushort)entries.Length);
            file.Write(entry[..2]);
            foreach (var (tag, type, count, value) in entries)
            {
                entry.Clear();
                BinaryPrimitives.WriteUInt16LittleEndian(entry, tag);
                BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], type);
                BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], count);
                if (type == 3 && count == 1)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(entry[8..], (ushort)value);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], value);
                }

                file.Write(entry);
            }

            link = Reserve(file);
        }

        return file.ToArray();
    }

    private static long Reserve(MemoryStream file)
    {
        var at = file.Position;
        file.Write([0, 0, 0, 0]);
        return at;
    }

    private static void Patch(MemoryStream file, long at, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(file.GetBuffer().AsSpan((int)at), value);
    }

    private static void Align(MemoryStream file)
    {
        if (file.Position % 2 == 1)
        {
            file.WriteByte(0);
        }
    }
}
