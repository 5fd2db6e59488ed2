namespace ScipixWorker.Ocr.UnitTests.Detection;

/// <summary>Synthetic DB probability maps, row-major.</summary>
internal sealed class ProbabilityMap(int width, int height)
{
    public int Width { get; } = width;

    public int Height { get; } = height;

    public float[] Values { get; } = new float[width * height];

    /// <summary>Sets the pixels x0 &lt;= x &lt; x1, y0 &lt;= y &lt; y1 (numpy slice semantics).</summary>
    public ProbabilityMap Fill(int x0, int y0, int x1, int y1, float value)
    {
        for (var y = y0; y < y1; y++)
        {
            Values.AsSpan((y * Width) + x0, x1 - x0).Fill(value);
        }

        return this;
    }

    /// <summary>Sets the pixels whose centres lie inside a rotated rectangle.</summary>
    public ProbabilityMap FillRotated(double centerX, double centerY, double halfLength, double halfHeight, double degrees, float value)
    {
        var cos = Math.Cos(degrees * Math.PI / 180);
        var sin = Math.Sin(degrees * Math.PI / 180);
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var u = ((x - centerX) * cos) + ((y - centerY) * sin);
                var v = (-(x - centerX) * sin) + ((y - centerY) * cos);
                if (Math.Abs(u) <= halfLength && Math.Abs(v) <= halfHeight)
                {
                    Values[(y * Width) + x] = value;
                }
            }
        }

        return this;
    }
}
