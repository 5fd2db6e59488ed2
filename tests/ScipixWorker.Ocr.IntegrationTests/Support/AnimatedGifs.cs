namespace ScipixWorker.Tests.Support;

/// <summary>
/// Animated GIFs written byte by byte. Shared by the engine's and the worker's integration tests (linked into both).
/// </summary>
public static class AnimatedGifs
{
    /// <summary>
    /// A GIF of one-pixel frames on a <paramref name="width"/> x <paramref name="height"/> canvas: a few bytes per
    /// frame in the file, a whole canvas per frame once decoded (a decompression bomb when large).
    /// </summary>
    public static byte[] OnePixelFrames(int width, int height, int frames)
    {
        var gif = new List<byte>("GIF89a"u8.ToArray());
        gif.AddRange([(byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0x80, 0, 0]); // 2-colour global table
        gif.AddRange([255, 255, 255, 0, 0, 0]);
        for (var i = 0; i < frames; i++)
        {
            gif.AddRange([0x21, 0xF9, 4, 0x04, 0, 0, 0, 0]); // graphic control: keep the previous frame
            gif.AddRange([0x2C, (byte)(i % width), (byte)((i % width) >> 8), 0, 0, 1, 0, 1, 0, 0]); // 1 x 1 at (i, 0)
            const int codes = 4 | (1 << 3) | (5 << 6); // LZW, 3-bit codes: clear, colour 1, end
            gif.AddRange([2, 2, codes & 0xFF, codes >> 8, 0]);
        }

        gif.Add(0x3B);
        return [.. gif];
    }
}
