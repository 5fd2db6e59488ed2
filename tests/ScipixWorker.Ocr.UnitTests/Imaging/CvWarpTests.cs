using System.Numerics;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

public sealed class CvWarpTests
{
    [Fact]
    public void Interior_pixels_summed_with_vectors_are_the_scalar_loops_bytes()
    {
        // Quads turned, slanted and scaled up and down over a noise image, their corners near and past its edges too, so
        // that pixels of every kind (inside, at the border, on the image's last rows) are compared.
        var source = Images.Noise(97, 61, seed: 20261207);
        var random = new Random(7);
        var pixels = 0;
        for (var i = 0; i < 200; i++)
        {
            var centre = new Vector2(random.NextSingle() * 97, random.NextSingle() * 61);
            var angle = (random.NextSingle() - 0.5f) * MathF.PI;
            var along = new Vector2(MathF.Cos(angle), MathF.Sin(angle)) * (4 + (random.NextSingle() * 40));
            var down = new Vector2(-along.Y, along.X) * (0.1f + (random.NextSingle() * 0.6f));
            Vector2 Jitter() => new(random.NextSingle() * 3, random.NextSingle() * 3);
            var quad = new Quad(centre - along - down + Jitter(), centre + along - down + Jitter(), centre + along + down + Jitter(), centre - along + down + Jitter());
            var (width, height) = (3 + random.Next(60), 2 + random.Next(30));
            if (QuadCropper.QuadToRectangle(quad, width, height)?.Invert() is not { } inverse)
            {
                continue;
            }

            var vectors = CvWarp.PerspectiveCubic(source, inverse, width, height);
            var scalar = CvWarp.PerspectiveCubic(source, inverse, width, height, vectors: false);

            Assert.Equal(scalar.Data.ToArray(), vectors.Data.ToArray());
            pixels += width * height;
        }

        Assert.True(pixels > 50_000, $"{pixels} pixels compared");
    }
}
