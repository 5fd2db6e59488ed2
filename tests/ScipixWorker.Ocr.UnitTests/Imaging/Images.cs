using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

/// <summary>Small images for tests.</summary>
internal static class Images
{
    /// <summary>A grey image: every channel holds the value, rows top to bottom.</summary>
    public static RgbBuffer Gray(byte[,] values)
    {
        var height = values.GetLength(0);
        var width = values.GetLength(1);
        var image = new RgbBuffer(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image.Row(y).Slice(x * 3, 3).Fill(values[y, x]);
            }
        }

        return image;
    }

    /// <summary>An image whose channels are given by a function of (x, y, channel).</summary>
    public static RgbBuffer Create(int width, int height, Func<int, int, int, byte> value)
    {
        var image = new RgbBuffer(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    image.Row(y)[(x * 3) + c] = value(x, y, c);
                }
            }
        }

        return image;
    }

    /// <summary>Pseudo-random image, reproducible from the seed.</summary>
    public static RgbBuffer Noise(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new RgbBuffer(width, height);
        random.NextBytes(image.Data);
        return image;
    }

    public static byte At(RgbBuffer image, int x, int y, int channel = 0) => image.ReadOnlyRow(y)[(x * 3) + channel];

    /// <summary>One channel as a 2-D array, for readable assertions.</summary>
    public static byte[,] Channel(RgbBuffer image, int channel = 0)
    {
        var values = new byte[image.Height, image.Width];
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                values[y, x] = At(image, x, y, channel);
            }
        }

        return values;
    }
}
