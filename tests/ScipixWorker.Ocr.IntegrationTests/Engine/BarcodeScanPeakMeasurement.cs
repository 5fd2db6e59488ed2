using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.IntegrationTests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// The measurement behind <see cref="BarcodeScanner.MaxPixels"/> (docs/benchmarks.md, "Barcodes"): the most managed
/// memory a scan holds over what was live before it, per page pixel, sampled every millisecond, for receipt 060 as it is
/// and enlarged twice. Runs only with SCIPIX_MEASURE=1; writes its table to the test output.
/// </summary>
public sealed class BarcodeScanPeakMeasurement
{
    [Fact]
    public void Measure_barcode_scan_peak_bytes_per_pixel()
    {
        if (Environment.GetEnvironmentVariable("SCIPIX_MEASURE") != "1")
        {
            return;
        }

        foreach (var scale in new[] { 1, 2 })
        {
            using var receipt = Image.Load<Rgb24>(Fixtures.Bytes("sroie", "barcodes", "receipt_060.jpg"));
            receipt.Mutate(x => x.Resize(receipt.Width * scale, receipt.Height * scale));
            var pixels = new byte[receipt.Width * receipt.Height * 3];
            receipt.CopyPixelDataTo(pixels);
            var page = new RgbBuffer(receipt.Width, receipt.Height, pixels);

            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            long peak = 0;
            var done = false;
            var sampler = new Thread(() =>
            {
                while (!Volatile.Read(ref done))
                {
                    peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                    Thread.Sleep(1);
                }
            });
            sampler.Start();
            var codes = BarcodeScanner.Scan(page, TestContext.Current.CancellationToken);
            Volatile.Write(ref done, true);
            sampler.Join();

            var perPixel = (peak - baseline) / ((double)page.Width * page.Height);
            TestContext.Current.TestOutputHelper?.WriteLine($"| {page.Width} x {page.Height} | {codes.Count} code(s) | {(peak - baseline) / 1e6:F1} MB | {perPixel:F1} |");
            Assert.True(perPixel < 24, $"{perPixel:F1} bytes per pixel");
        }
    }
}
