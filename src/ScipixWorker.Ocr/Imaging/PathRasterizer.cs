using System.Numerics;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Fills shapes made of closed polygons into a grey image (white ground, ink black), anti-aliased: each pixel row is
/// sampled on <see cref="SubRows"/> lines, and on each the spans inside the shape cover their pixels by the exact part of
/// their width. A shape is filled by its own rule (non-zero winding or even-odd, as PDF's <c>f</c> and <c>f*</c>), so two
/// glyphs drawn over each other do not cancel; where shapes overlap their ink adds up, to black.
/// </summary>
internal sealed class PathRasterizer
{
    /// <summary>Sample lines per pixel row.</summary>
    public const int SubRows = 4;

    private readonly byte[] _ink; // 0 = none, 255 = black
    private readonly float[] _row;
    private readonly List<Edge> _edges = [];
    private readonly List<Edge> _active = [];
    private readonly List<(float X, int Direction)> _crossings = [];

    public PathRasterizer(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        (Width, Height) = (width, height);
        _ink = new byte[checked(width * height)];
        _row = new float[width + 1];
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>
    /// Fills one shape: <paramref name="polygons"/> in pixels (x right, y down), each closed from its last point to its
    /// first; with <paramref name="evenOdd"/> a point is inside where a ray from it crosses the outlines an odd number of
    /// times, else where their windings round it do not sum to zero.
    /// </summary>
    public void Fill(IEnumerable<IReadOnlyList<Vector2>> polygons, bool evenOdd)
    {
        _edges.Clear();
        foreach (var polygon in polygons)
        {
            if (polygon.Any(p => !float.IsFinite(p.X) || !float.IsFinite(p.Y)))
            {
                continue; // an outline with a point nowhere (a damaged file) is left out whole, not filled half-closed
            }

            for (var i = 0; i < polygon.Count; i++)
            {
                var (a, b) = (polygon[i], polygon[(i + 1) % polygon.Count]);
                if (a.Y != b.Y)
                {
                    _edges.Add(a.Y < b.Y ? new Edge(a, b, 1) : new Edge(b, a, -1));
                }
            }
        }

        if (_edges.Count == 0)
        {
            return;
        }

        _edges.Sort((p, q) => p.Top.CompareTo(q.Top));
        var top = Math.Max(0, (int)MathF.Floor(_edges[0].Top));
        var bottom = Math.Min(Height, (int)MathF.Ceiling(_edges.Max(e => e.Bottom)));
        _active.Clear();
        var next = 0;
        for (var y = top; y < bottom; y++)
        {
            var (left, right) = (Width, 0);
            for (var sub = 0; sub < SubRows; sub++)
            {
                var sampleY = y + ((sub + 0.5f) / SubRows);
                while (next < _edges.Count && _edges[next].Top <= sampleY)
                {
                    _active.Add(_edges[next++]);
                }

                _active.RemoveAll(e => e.Bottom <= sampleY);
                _crossings.Clear();
                foreach (var edge in _active)
                {
                    if (edge.Top <= sampleY)
                    {
                        _crossings.Add((edge.XAt(sampleY), edge.Direction));
                    }
                }

                _crossings.Sort((p, q) => p.X.CompareTo(q.X));
                var winding = 0;
                for (var i = 0; i < _crossings.Count - 1; i++)
                {
                    winding += _crossings[i].Direction;
                    if (evenOdd ? (winding & 1) != 0 : winding != 0)
                    {
                        Cover(_crossings[i].X, _crossings[i + 1].X, ref left, ref right);
                    }
                }
            }

            if (right > left)
            {
                var row = _ink.AsSpan(y * Width, Width);
                for (var x = left; x < right; x++)
                {
                    row[x] = (byte)Math.Min(255, row[x] + (int)MathF.Round(_row[x] * 255f));
                    _row[x] = 0;
                }
            }
        }
    }

    /// <summary>
    /// Strokes one shape: each of <paramref name="lines"/> (in pixels; closed ones back to their first point) drawn as a pen
    /// <paramref name="width"/> pixels wide with square ends, so that the pieces of a line meet at its corners.
    /// </summary>
    public void Stroke(IEnumerable<(IReadOnlyList<Vector2> Points, bool Closed)> lines, float width)
    {
        var half = width / 2;
        var pieces = new List<IReadOnlyList<Vector2>>();
        foreach (var (points, closed) in lines)
        {
            var count = closed ? points.Count : points.Count - 1;
            for (var i = 0; i < count; i++)
            {
                var (a, b) = (points[i], points[(i + 1) % points.Count]);
                var along = b - a;
                if (along.LengthSquared() < 1e-6f)
                {
                    continue;
                }

                // A rectangle round the piece, its ends grown by half the pen: every one wound the same way, so that the
                // non-zero rule fills them together as one.
                var d = Vector2.Normalize(along) * half;
                var n = new Vector2(-d.Y, d.X);
                pieces.Add([a - d + n, b + d + n, b + d - n, a - d - n]);
            }

            if (points.Count == 1)
            {
                var p = points[0]; // a dot
                pieces.Add([p + new Vector2(-half, half), p + new Vector2(half, half), p + new Vector2(half, -half), p + new Vector2(-half, -half)]);
            }
        }

        Fill(pieces, evenOdd: false);
    }

    /// <summary>The image as grey bytes, a row after another: 255 white ground, 0 full ink.</summary>
    public byte[] ToGrey()
    {
        var grey = new byte[_ink.Length];
        for (var i = 0; i < grey.Length; i++)
        {
            grey[i] = (byte)(255 - _ink[i]);
        }

        return grey;
    }

    /// <summary>The ink at a pixel, 0 (none) to 1.</summary>
    public float InkAt(int x, int y) => _ink[(y * Width) + x] / 255f;

    // A span of one sample line, from x0 to x1, covers each pixel by the part of its width inside the span.
    private void Cover(float x0, float x1, ref int left, ref int right)
    {
        const float Weight = 1f / SubRows;
        x0 = Math.Clamp(x0, 0, Width);
        x1 = Math.Clamp(x1, 0, Width);
        if (x1 <= x0)
        {
            return;
        }

        var (first, last) = ((int)x0, (int)x1);
        left = Math.Min(left, first);
        right = Math.Max(right, Math.Min(Width, last + 1));
        if (first == last)
        {
            _row[first] += (x1 - x0) * Weight;
            return;
        }

        _row[first] += (first + 1 - x0) * Weight;
        for (var x = first + 1; x < last; x++)
        {
            _row[x] += Weight;
        }

        if (last < Width)
        {
            _row[last] += (x1 - last) * Weight;
        }
    }

    // An outline's segment, top to bottom, with the direction it ran (down +1, up -1).
    private readonly record struct Edge(Vector2 From, Vector2 To, int Direction)
    {
        public float Top => From.Y;

        public float Bottom => To.Y;

        public float XAt(float y) => From.X + ((To.X - From.X) * (y - From.Y) / (To.Y - From.Y));
    }
}
