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

public sealed class PooledBufferTests
{
    [Fact]
    public void A_rented_page_has_its_size_and_goes_back_to_the_pool_once()
    {
        var page = RgbBuffer.Rent(1000, 700);
        Assert.Equal((1000, 700, 3000), (page.Width, page.Height, page.Stride));
        Assert.True(page.Data.Length >= 1000 * 700 * 3);

        page.ReturnToPool();
        page.ReturnToPool(); // a second return is ignored, so no two pages ever share an array

        var next = RgbBuffer.Rent(1000, 700);
        var other = RgbBuffer.Rent(1000, 700);
        Assert.NotSame(next.Data, other.Data);
    }

    [Fact]
    public void Returning_a_buffer_that_was_not_rented_does_nothing()
    {
        var buffer = new RgbBuffer(10, 10);
        buffer.ReturnToPool();
        Assert.NotSame(buffer.Data, RgbBuffer.Rent(10, 10).Data);
    }

    [Fact]
    public void A_buffer_returned_on_one_thread_is_reused_on_another()
    {
        var returned = OnNewThread(() =>
        {
            var buffer = RgbBuffer.Rent(1501, 1499); // a size class no other test uses
            buffer.ReturnToPool();
            return buffer.Data;
        });
        var reused = OnNewThread(() => RgbBuffer.Rent(1501, 1499).Data);

        Assert.Same(returned, reused);
    }

    // Runs on a thread of its own that ends before this returns, as stage 1 ran on a thread per job.
    private static T OnNewThread<T>(Func<T> work)
        where T : class
    {
        T? result = null;
        var thread = new Thread(() => result = work());
        thread.Start();
        thread.Join();
        return result ?? throw new InvalidOperationException("The thread produced nothing.");
    }
}
