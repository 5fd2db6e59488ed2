namespace ScipixWorker.Ocr.UnitTests.Imaging;

/// <summary>
/// Image samples as a PDF writer stores them before compressing (<see cref="PdfLzwFilterTests"/>,
/// <see cref="PdfFlateFilterTests"/>): a scan's rows, and the same with a predictor applied.
/// </summary>
internal static class PredictedSamples
{
    /// <summary>Samples a row.</summary>
    public const int Columns = 150;

    /// <summary>Rows.</summary>
    public const int Rows = 90;

    // A scan's rows: white with strokes, a gradient under them.
    public static byte[] Samples(int colors)
    {
        var samples = new byte[Rows * Columns * colors];
        for (var i = 0; i < samples.Length; i++)
        {
            var (x, y) = (i / colors % Columns, i / colors / Columns);
            samples[i] = (byte)(x / 5 % 4 == 0 && y / 7 % 3 == 0 ? 30 + (i % 3) : 200 + ((x + y) % 50));
        }

        return samples;
    }

    // The samples as a writer stores them before LZW: as they are (1), each sample less the one a pixel to its left (2),
    // or PNG's filters, each row led by its filter's number (10 and up).
    public static byte[] Predicted(byte[] samples, int predictor, int colors)
    {
        var rowBytes = Columns * colors;
        if (predictor == 1)
        {
            return samples;
        }

        if (predictor == 2)
        {
            var differences = samples.ToArray();
            for (var i = differences.Length - 1; i >= 0; i--)
            {
                differences[i] -= i % rowBytes >= colors ? samples[i - colors] : (byte)0;
            }

            return differences;
        }

        var filtered = new List<byte>();
        for (var y = 0; y < Rows; y++)
        {
            var filter = y % 5;
            filtered.Add((byte)filter);
            for (var i = 0; i < rowBytes; i++)
            {
                int Sample(int row, int at) => row < 0 || at < 0 ? 0 : samples[(row * rowBytes) + at];
                var (left, above, corner) = (Sample(y, i - colors), Sample(y - 1, i), Sample(y - 1, i - colors));
                var estimate = left + above - corner;
                var paeth = Math.Abs(estimate - left) <= Math.Abs(estimate - above) && Math.Abs(estimate - left) <= Math.Abs(estimate - corner)
                    ? left : Math.Abs(estimate - above) <= Math.Abs(estimate - corner) ? above : corner;
                var prediction = filter switch { 1 => left, 2 => above, 3 => (left + above) / 2, 4 => paeth, _ => 0 };
                filtered.Add((byte)(Sample(y, i) - prediction));
            }
        }

        return [.. filtered];
    }
}
