using System.Numerics;

namespace ScipixWorker.Ocr.Geometry;

/// <summary>
/// A 3x3 perspective transform (row-major, m22 = 1 when built from point pairs), computed as OpenCV's
/// getPerspectiveTransform (8x8 system, Gaussian elimination with partial pivoting) and inverted as
/// cv::invert does for 3x3 matrices (adjugate over determinant).
/// </summary>
internal sealed class Homography
{
    // OpenCV's LU gives up on pivots below DBL_EPSILON * 100.
    private const double PivotEpsilon = 2.220446049250313e-16 * 100;

    private readonly double[] _m;

    private Homography(double[] m) => _m = m;

    /// <summary>Element (row, column).</summary>
    public double this[int row, int column] => _m[(row * 3) + column];

    /// <summary>
    /// The transform mapping each of the 4 <paramref name="source"/> points onto the matching
    /// <paramref name="destination"/> point; null when the points are degenerate (three collinear).
    /// </summary>
    public static Homography? FromPoints(ReadOnlySpan<Vector2> source, ReadOnlySpan<Vector2> destination)
    {
        if (source.Length != 4 || destination.Length != 4)
        {
            throw new ArgumentException("A perspective transform needs exactly 4 point pairs.");
        }

        // Unknowns m00 m01 m02 m10 m11 m12 m20 m21; rows i: x equations, rows i+4: y equations.
        Span<double> a = stackalloc double[64];
        Span<double> b = stackalloc double[8];
        a.Clear();
        for (var i = 0; i < 4; i++)
        {
            var s = source[i];
            var d = destination[i];
            var rx = i * 8;
            var ry = (i + 4) * 8;
            a[rx + 0] = a[ry + 3] = s.X;
            a[rx + 1] = a[ry + 4] = s.Y;
            a[rx + 2] = a[ry + 5] = 1;

            // OpenCV multiplies the float coordinates in float before storing them as double.
            a[rx + 6] = -(s.X * d.X);
            a[rx + 7] = -(s.Y * d.X);
            a[ry + 6] = -(s.X * d.Y);
            a[ry + 7] = -(s.Y * d.Y);
            b[i] = d.X;
            b[i + 4] = d.Y;
        }

        if (!Solve(a, b, 8))
        {
            return null;
        }

        return new Homography([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], 1.0]);
    }

    /// <summary>The inverse transform, or null when this one is singular.</summary>
    public Homography? Invert()
    {
        var m = _m;
        var det = (m[0] * ((m[4] * m[8]) - (m[5] * m[7])))
            - (m[1] * ((m[3] * m[8]) - (m[5] * m[6])))
            + (m[2] * ((m[3] * m[7]) - (m[4] * m[6])));
        if (det == 0)
        {
            return null;
        }

        var d = 1.0 / det;
        return new Homography(
        [
            ((m[4] * m[8]) - (m[5] * m[7])) * d,
            ((m[2] * m[7]) - (m[1] * m[8])) * d,
            ((m[1] * m[5]) - (m[2] * m[4])) * d,
            ((m[5] * m[6]) - (m[3] * m[8])) * d,
            ((m[0] * m[8]) - (m[2] * m[6])) * d,
            ((m[2] * m[3]) - (m[0] * m[5])) * d,
            ((m[3] * m[7]) - (m[4] * m[6])) * d,
            ((m[1] * m[6]) - (m[0] * m[7])) * d,
            ((m[0] * m[4]) - (m[1] * m[3])) * d,
        ]);
    }

    /// <summary>Maps a point (projective division included).</summary>
    public (double X, double Y) Map(double x, double y)
    {
        var m = _m;
        var w = (m[6] * x) + (m[7] * y) + m[8];
        w = w != 0 ? 1.0 / w : 0;
        return (((m[0] * x) + (m[1] * y) + m[2]) * w, ((m[3] * x) + (m[4] * y) + m[5]) * w);
    }

    // Gaussian elimination with partial pivoting on an n x n row-major system; the solution replaces b.
    private static bool Solve(Span<double> a, Span<double> b, int n)
    {
        for (var i = 0; i < n; i++)
        {
            var pivot = i;
            for (var j = i + 1; j < n; j++)
            {
                if (Math.Abs(a[(j * n) + i]) > Math.Abs(a[(pivot * n) + i]))
                {
                    pivot = j;
                }
            }

            if (Math.Abs(a[(pivot * n) + i]) < PivotEpsilon)
            {
                return false;
            }

            if (pivot != i)
            {
                for (var j = i; j < n; j++)
                {
                    (a[(i * n) + j], a[(pivot * n) + j]) = (a[(pivot * n) + j], a[(i * n) + j]);
                }

                (b[i], b[pivot]) = (b[pivot], b[i]);
            }

            var d = -1.0 / a[(i * n) + i];
            for (var j = i + 1; j < n; j++)
            {
                var alpha = a[(j * n) + i] * d;
                for (var k = i + 1; k < n; k++)
                {
                    a[(j * n) + k] += alpha * a[(i * n) + k];
                }

                b[j] += alpha * b[i];
            }

            a[(i * n) + i] = -d;
        }

        for (var i = n - 1; i >= 0; i--)
        {
            var s = b[i];
            for (var k = i + 1; k < n; k++)
            {
                s -= a[(i * n) + k] * b[k];
            }

            b[i] = s * a[(i * n) + i];
        }

        return true;
    }
}
