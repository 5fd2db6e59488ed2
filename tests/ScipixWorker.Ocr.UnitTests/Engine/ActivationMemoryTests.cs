using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Engine;

public sealed class ActivationMemoryTests
{
    [Fact]
    public void A_recognizer_call_grows_with_its_crops_times_its_width()
    {
        Assert.Equal(4 * ActivationMemory.Recognition(1, 320), ActivationMemory.Recognition(2, 640));
        Assert.Equal(640L * 48 * 320, ActivationMemory.Recognition(1, 320));
    }

    [Theory]
    [InlineData(320, 7)]   // a third of 224 MiB: seven 320-px crops (9.4 MiB each)
    [InlineData(640, 3)]
    [InlineData(1280, 1)]
    [InlineData(2048, 1)]
    [InlineData(20_000, 1)] // a crop larger than the share still runs, alone
    public void Batches_within_a_share_of_the_default_budget(int width, int expected) =>
        Assert.Equal(expected, ActivationMemory.RecognitionBatchWithin(new MemoryBudget((long)OcrEngineOptions.DefaultCpuMemoryBudgetMegabytes << 20).Share(3), width));

    [Fact]
    public void A_page_counts_its_decoded_pixels_and_its_detector_input()
    {
        Assert.Equal((7L * 1000 * 2000) + (320L * 448 * 960), ActivationMemory.Detection(1000, 2000, 448, 960));
    }
}

public sealed class RentedBufferTests
{
    [Fact]
    public void A_rented_page_is_native_memory_of_its_size_released_once()
    {
        var page = RgbBuffer.Rent(1000, 700);
        Assert.Equal((1000, 700, 3000), (page.Width, page.Height, page.Stride));
        Assert.True(page.IsNative);
        Assert.Equal(1000 * 700 * 3, page.Data.Length);
        page.Data.Fill(7);
        var other = RgbBuffer.Rent(1000, 700);
        Assert.False(page.Data.Overlaps(other.Data));

        page.Release();
        page.Release(); // a second release frees nothing more

        // Read after release, a page would be whatever the allocator put there since: it throws instead.
        Assert.Throws<ObjectDisposedException>(() => page.Data.Length);
        Assert.Equal(1000, page.Width);
        other.Release();
    }

    [Fact]
    public void A_small_rented_buffer_is_a_pooled_array_returned_once()
    {
        var line = RgbBuffer.Rent(320, 48);
        Assert.False(line.IsNative);
        Assert.True(line.Data.Length >= 320 * 48 * 3);

        line.Release();
        line.Release(); // a second return is ignored, so no two buffers ever share an array

        var next = RgbBuffer.Rent(320, 48);
        var other = RgbBuffer.Rent(320, 48);
        Assert.False(next.Data.Overlaps(other.Data));

        // 1 MiB and more is native memory: 349,525 x 3 bytes are one short of it.
        var under = RgbBuffer.Rent(349_525, 1);
        var over = RgbBuffer.Rent(349_526, 1);
        Assert.Equal((false, true), (under.IsNative, over.IsNative));
        under.Release();
        over.Release();
    }

    [Fact]
    public void Releasing_a_buffer_that_was_not_rented_does_nothing()
    {
        var buffer = new RgbBuffer(10, 10);
        buffer.Data.Fill(9);
        buffer.Release();
        Assert.Equal(9, buffer.Data[299]);
        Assert.False(buffer.Data.Overlaps(RgbBuffer.Rent(10, 10).Data));
    }

    [Fact]
    public void A_small_buffer_returned_on_one_thread_is_reused_on_another()
    {
        var returned = OnNewThread(() =>
        {
            var buffer = RgbBuffer.Rent(500, 500); // under NativeFromBytes, in a size class no other test uses
            buffer.Release();
            return buffer.ManagedArray;
        });
        var reused = OnNewThread(() => RgbBuffer.Rent(500, 500).ManagedArray);

        Assert.NotNull(returned);
        Assert.Same(returned, reused);
    }

    [Fact]
    public void A_kept_page_is_copied_out_of_native_memory_and_the_native_memory_released()
    {
        var page = RgbBuffer.Rent(700, 600);
        for (var i = 0; i < page.Data.Length; i++)
        {
            page.Data[i] = (byte)(i % 251);
        }

        var kept = page.Kept();

        Assert.False(kept.IsNative);
        Assert.Equal((700, 600), (kept.Width, kept.Height));
        Assert.Equal(Enumerable.Range(0, 700 * 600 * 3).Select(i => (byte)(i % 251)), kept.Data.ToArray());
        Assert.Throws<ObjectDisposedException>(() => page.Data.Length);
        kept.Release(); // not rented: nothing happens
        Assert.Equal(250, kept.Data[250]);

        var small = RgbBuffer.Rent(100, 48);
        Assert.Same(small, small.Kept());
    }

    // Runs on a thread of its own that ends before this returns, as stage 1 ran on a thread per job.
    private static T OnNewThread<T>(Func<T> work)
        where T : class?
    {
        T? result = null;
        var thread = new Thread(() => result = work());
        thread.Start();
        thread.Join();
        return result!;
    }

    [Theory]
    [InlineData(1000, 1000, 16_000_000L)] // 16 bytes a pixel looked at
    [InlineData(2000, 4000, 128_000_000L)] // 8 megapixels: the most it looks at
    [InlineData(4000, 4000, 144_000_000L)] // 16 megapixels: looked at shrunk to 8, plus the full-size grey copy shrunk from
    public void A_barcode_scan_counts_the_pixels_it_looks_at(int width, int height, long expected) =>
        Assert.Equal(expected, ActivationMemory.BarcodeScan(width, height));
}
