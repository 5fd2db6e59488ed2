using System.Buffers.Binary;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

/// <summary>The 16- and 32-bit numbers of TIFF files written here (<see cref="TiffStripsTests"/>, <see cref="TiffPagesTests"/>), in either byte order.</summary>
internal static class TiffBytes
{
    public static void Write16(byte[] bytes, int at, ushort value, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at), value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), value);
        }
    }

    public static void Write32(byte[] bytes, int at, uint value, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), value);
        }
    }
}
