using System.Collections.Concurrent;
using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>RecognizeAsync: line crops of concurrent calls share recognizer batches; results as Recognize's.</summary>
[Collection(EngineCollection.Name)]
public sealed class PipelinedRecognitionTests(EngineFixture fixture)
{
    private static (byte[] Image, OcrMode Mode)[] Jobs() =>
    [
        (Fixtures.Bytes("sroie", "receipt_000.jpg"), OcrMode.Full),
        .. Fixtures.SroieLineCrops.Select(n => (Fixtures.Bytes("sroie", n + ".png"), OcrMode.SingleLine)),
        (Fixtures.Bytes("sroie", "receipt_000.jpg"), OcrMode.Full),
    ];

    [Theory]
    [InlineData(BatchingMode.Static)]
    [InlineData(BatchingMode.Adaptive)]
    public async Task Concurrent_calls_read_what_sequential_calls_read_and_share_batches(BatchingMode mode)
    {
        var observer = new RecordingObserver();
        using var engine = Engine(new BatchingOptions { Mode = mode, StaticBatchSize = 8, MaxBatchSize = 8, MaxWait = TimeSpan.FromMilliseconds(20) }, observer);
        await ConcurrentCallsReadWhatSequentialCallsRead(engine);

        // The controller measures that batching gains little on a CPU and may keep batches small, so only the
        // static size is sure to mix jobs here.
        if (mode == BatchingMode.Static)
        {
            Assert.Contains(observer.Batches, b => b.Size > 1 && b.Jobs > 1);

            // Lines of different widths in one batch: the narrower ones are padded, and that is not counted as lines.
            Assert.Contains(observer.Batches, b => b.Size > 1 && b.LineWidth < b.TensorWidth);
        }

        // The controller's costs are per column of the lines: never more than the tensor's, the same for a crop alone.
        Assert.All(observer.Batches, b => Assert.InRange(b.LineWidth, WidthBuckets.DefaultMinWidth, b.TensorWidth));
        Assert.All(observer.Batches.Where(b => b.Size == 1), b => Assert.Equal(b.TensorWidth, b.LineWidth));
        Assert.Equal(0, engine.RecognitionQueueDepth);
    }

    [Theory]
    [InlineData(WidthBuckets.DefaultMinWidth)]
    [InlineData(WidthBuckets.PaddleMinWidth)]
    public async Task Short_crops_run_at_the_configured_narrowest_tensor_and_still_read_their_text(int minWidth)
    {
        var observer = new RecordingObserver();
        var options = new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, RecognizerMinWidth = minWidth };
        using var engine = new OcrEngine(options, null, new BatchingOptions { Mode = BatchingMode.Static, StaticBatchSize = 1 }, observer);
        foreach (var name in Fixtures.SroieLineCrops)
        {
            var text = (await engine.RecognizeAsync(Fixtures.Bytes("sroie", name + ".png"), OcrMode.SingleLine, TestContext.Current.CancellationToken)).Text;

            var expected = Fixtures.Text("sroie", name + ".gt.txt");
            Assert.True(Cer.Of(expected, text, caseInsensitive: true) <= 0.15, $"{name}: expected '{expected.Trim()}', got '{text}'");
        }

        // Several of these receipt crops are shorter than 224 px at height 48: they run at exactly the minimum.
        Assert.Equal(minWidth, observer.Batches.Min(b => b.TensorWidth));
        Assert.True(observer.Batches.Count(b => b.TensorWidth == minWidth) >= 2);
    }

    [Fact]
    public async Task A_batch_of_one_reads_exactly_what_Recognize_reads()
    {
        using var engine = Engine(new BatchingOptions { Mode = BatchingMode.Static, StaticBatchSize = 1 }, null);
        foreach (var name in Fixtures.SroieLineCrops)
        {
            var image = Fixtures.Bytes("sroie", name + ".png");
            var expected = fixture.Engine.Recognize(image, OcrMode.SingleLine, TestContext.Current.CancellationToken).Pages[0].Lines[0];

            var actual = (await engine.RecognizeAsync(image, OcrMode.SingleLine, TestContext.Current.CancellationToken)).Pages[0].Lines[0];

            Assert.Equal((expected.Text, expected.Confidence), (actual.Text, actual.Confidence));
        }
    }

    [Fact]
    public async Task Cancelling_one_call_drops_its_queued_crops_and_leaves_the_others_untouched()
    {
        var observer = new RecordingObserver { Hold = new ManualResetEventSlim(false) };
        // One executor: a second would take the next crops while the first is held.
        using var engine = Engine(new BatchingOptions { Mode = BatchingMode.Static, StaticBatchSize = 4, Executors = 1 }, observer);
        var names = Fixtures.SroieLineCrops.Take(4).ToArray();
        var expected = names.Select(n => fixture.Engine.Recognize(Fixtures.Bytes("sroie", n + ".png"), OcrMode.SingleLine, TestContext.Current.CancellationToken).Text).ToArray();
        var receipt = Fixtures.Bytes("sroie", "receipt_000.jpg");

        // The executor is held with its first batch (that one crop), so everything below waits in the queue.
        var first = engine.RecognizeAsync(Fixtures.Bytes("sroie", names[0] + ".png"), OcrMode.SingleLine, TestContext.Current.CancellationToken);
        Assert.True(observer.Decided.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        using var cancel = new CancellationTokenSource();
        var cancelled = engine.RecognizeAsync(receipt, OcrMode.Full, cancel.Token);
        var others = names.Skip(1).Select(n => engine.RecognizeAsync(Fixtures.Bytes("sroie", n + ".png"), OcrMode.SingleLine, TestContext.Current.CancellationToken)).ToArray();
        var queued = engine.RecognitionQueueDepth;

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        observer.Hold.Set();
        var texts = await Task.WhenAll([first, .. others]);

        Assert.Equal(expected, texts.Select(d => d.Text));
        Assert.True(queued > names.Length, $"only {queued} crops were queued");
        observer.WaitForCrops(names.Length);
        Assert.Equal(names.Length, observer.Batches.Sum(b => b.Size)); // the receipt's crops never ran
        Assert.Equal(0, engine.RecognitionQueueDepth);
    }

    [Fact]
    public async Task Waiting_for_the_queue_to_shrink_ends_once_recognition_has_taken_enough_crops()
    {
        var observer = new RecordingObserver { Hold = new ManualResetEventSlim(false) };
        using var engine = Engine(new BatchingOptions { Mode = BatchingMode.Static, StaticBatchSize = 1, Executors = 1 }, observer);
        var ct = TestContext.Current.CancellationToken;
        Task<OcrDocument> Line(int i) => engine.RecognizeAsync(Fixtures.Bytes("sroie", Fixtures.SroieLineCrops[i] + ".png"), OcrMode.SingleLine, ct);

        Assert.True(engine.WaitForRecognitionQueueBelowAsync(1, ct).IsCompletedSuccessfully); // nothing queued yet
        // The executor is held with its first crop, so the next four wait in the queue.
        var first = Line(0);
        Assert.True(observer.Decided.Wait(TimeSpan.FromSeconds(30), ct));
        var others = Enumerable.Range(1, 4).Select(Line).ToArray();
        Assert.Equal(4, engine.RecognitionQueueDepth);

        var belowThree = engine.WaitForRecognitionQueueBelowAsync(3, ct);
        using var cancel = new CancellationTokenSource();
        var cancelled = engine.WaitForRecognitionQueueBelowAsync(3, cancel.Token);
        Assert.True(engine.WaitForRecognitionQueueBelowAsync(5, ct).IsCompletedSuccessfully);
        Assert.True(engine.WaitForRecognitionQueueBelowAsync(0, ct).IsCompletedSuccessfully); // 0: no limit
        await Task.Delay(200, ct);
        Assert.False(belowThree.IsCompleted);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(belowThree.IsCompleted);

        observer.Hold.Set();
        await belowThree.WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.True(engine.RecognitionQueueDepth < 3);
        await Task.WhenAll([first, .. others]);
        observer.WaitForCrops(5);
        Assert.Equal(5, observer.Batches.Count);
    }

    [Fact]
    public async Task Abandoning_unstarted_calls_drops_only_calls_with_no_crop_in_a_batch()
    {
        // The executor runs the receipt's first crop, then is held with its second.
        var observer = new RecordingObserver { Hold = new ManualResetEventSlim(false), HoldAt = 2 };
        using var engine = Engine(new BatchingOptions { Mode = BatchingMode.Static, StaticBatchSize = 1, Executors = 1 }, observer);
        var receipt = Fixtures.Bytes("sroie", "receipt_000.jpg");
        var expected = fixture.Engine.Recognize(receipt, OcrMode.Full, TestContext.Current.CancellationToken).Text;
        using var stopping = new CancellationTokenSource();

        var started = engine.RecognizeAsync(receipt, OcrMode.Full, TestContext.Current.CancellationToken, stopping.Token);
        Assert.True(observer.Decided.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        var unstarted = engine.RecognizeAsync(Fixtures.Bytes("sroie", Fixtures.SroieLineCrops[0] + ".png"), OcrMode.SingleLine, TestContext.Current.CancellationToken, stopping.Token);

        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => unstarted);
        observer.Hold.Set();

        var text = (await started).Text;
        Assert.True(Cer.Of(expected, text) <= 0.02, $"expected '{expected}', got '{text}'");
        Assert.Equal(0, engine.RecognitionQueueDepth);
    }

    [Fact]
    public async Task Batches_are_sized_to_a_share_of_the_memory_budget()
    {
        // 90 MiB shared by two executors and a detection: 30 MiB a call: four 224-px crops, three 320-px crops or one 640-px crop.
        var observer = new RecordingObserver();
        using var engine = Engine(new BatchingOptions { Mode = BatchingMode.Static, StaticBatchSize = 16, Executors = 2 }, observer, memoryBudgetMegabytes: 90);
        await ConcurrentCallsReadWhatSequentialCallsRead(engine);

        var share = engine.MemoryBudget.Share(3);
        Assert.All(observer.Batches, b => Assert.True(
            b.Size == 1 || ActivationMemory.Recognition(b.Size, b.TensorWidth) <= share, $"{b.Size} crops of {b.TensorWidth} px exceed the share"));
        Assert.Contains(observer.Batches, b => b.Size > 1); // the receipt's narrow crops still batch
        Assert.True(observer.Batches.Max(b => b.Size) <= ActivationMemory.RecognitionBatchWithin(share, WidthBuckets.DefaultMinWidth));
        Assert.Equal(4, engine.LargestRecognitionBatch); // a static 16 the budget holds to 4
        Assert.Equal(0, engine.MemoryBudget.InUse);
    }

    [Fact]
    public async Task The_controller_asks_for_no_more_crops_than_the_budget_lets_a_call_hold()
    {
        // 30 MiB a call: four 224-px crops. A larger size would come back as four at most and never be measured, and the
        // controller would go on asking for it (docs/batching.md, "The controller").
        var observer = new RecordingObserver();
        using var engine = Engine(new BatchingOptions { Mode = BatchingMode.Adaptive, MaxBatchSize = 32, Executors = 2 }, observer, memoryBudgetMegabytes: 90);
        await ConcurrentCallsReadWhatSequentialCallsRead(engine);

        var largest = ActivationMemory.RecognitionBatchWithin(engine.MemoryBudget.Share(3), WidthBuckets.DefaultMinWidth);
        Assert.Equal(4, largest);
        Assert.Equal(largest, engine.LargestRecognitionBatch);
        Assert.NotEmpty(observer.Decisions);
        Assert.All(observer.Decisions, d => Assert.InRange(d.Size, 1, largest));
    }

    [Fact]
    public async Task A_budget_smaller_than_any_run_runs_them_one_at_a_time_and_all_complete()
    {
        // Every lease is clamped to the whole 1 MiB budget: detections and recognizer calls of concurrent
        // calls take turns (a deadlock here would hang the test).
        using var engine = Engine(new BatchingOptions { Mode = BatchingMode.Adaptive, Executors = 2 }, null, memoryBudgetMegabytes: 1);
        await ConcurrentCallsReadWhatSequentialCallsRead(engine);

        Assert.True(engine.MemoryBudget.Waits > 0, "no run waited for the budget");
        Assert.Equal((0L, 0), (engine.MemoryBudget.InUse, engine.MemoryBudget.Waiting));
    }

    [Fact]
    public async Task A_call_waiting_for_the_memory_budget_is_abandoned_as_unstarted()
    {
        using var engine = Engine(new BatchingOptions(), null, memoryBudgetMegabytes: 1);
        var held = engine.MemoryBudget.Acquire(1L << 20, TestContext.Current.CancellationToken);
        using var stopping = new CancellationTokenSource();

        var call = Task.Run(() => engine.RecognizeAsync(Fixtures.Bytes("sroie", "receipt_000.jpg"), OcrMode.Full, TestContext.Current.CancellationToken, stopping.Token), TestContext.Current.CancellationToken);
        for (var wait = 0; wait < 500 && engine.MemoryBudget.Waiting == 0; wait++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, engine.MemoryBudget.Waiting);
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal((0, 1L << 20), (engine.MemoryBudget.Waiting, engine.MemoryBudget.InUse));
        held.Dispose();
    }

    // Every job of Jobs() at once through RecognizeAsync, each read as the shared engine's Recognize reads it
    // (a hang, such as a deadlock over the memory budget, fails after two minutes).
    private async Task ConcurrentCallsReadWhatSequentialCallsRead(OcrEngine engine)
    {
        var jobs = Jobs();
        var expected = jobs.Select(j => fixture.Engine.Recognize(j.Image, j.Mode, TestContext.Current.CancellationToken).Text).ToArray();

        var texts = await Task.WhenAll(jobs.Select(j => Task.Run(
            async () => (await engine.RecognizeAsync(j.Image, j.Mode, TestContext.Current.CancellationToken)).Text,
            TestContext.Current.CancellationToken))).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);

        // A crop is padded to its batch's widest crop, as in PaddleOCR, so a batch mixing other calls' crops
        // can change a character where Recognize's batch of six differed (either way: "8110O" vs "81100");
        // a batch of one is exact (A_batch_of_one_reads_exactly_what_Recognize_reads).
        for (var i = 0; i < jobs.Length; i++)
        {
            Assert.True(Cer.Of(expected[i], texts[i]) <= 0.02, $"job {i}: expected '{expected[i]}', got '{texts[i]}'");
        }
    }

    [Fact]
    public async Task A_batch_reports_the_condensed_lines_it_read_again()
    {
        var observer = new RecordingObserver();
        using var engine = Engine(new BatchingOptions { Mode = BatchingMode.Static, StaticBatchSize = 1 }, observer);

        // TAX INVOICE / ADJUSTMENT NOTE in condensed print, then CASH in ordinary print.
        await engine.RecognizeAsync(Fixtures.Bytes("sroie", Path.Combine("condensed", "369_005.png")), OcrMode.SingleLine, TestContext.Current.CancellationToken);
        await engine.RecognizeAsync(Fixtures.Bytes("sroie", "line_003_008.png"), OcrMode.SingleLine, TestContext.Current.CancellationToken);

        observer.WaitForCrops(2);
        Assert.Equal([1, 0], observer.Batches.Select(b => b.ReadAgain));
    }

    private static OcrEngine Engine(BatchingOptions batching, IRecognitionObserver? observer, int? memoryBudgetMegabytes = null) =>
        new(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, MemoryBudgetMegabytes = memoryBudgetMegabytes }, null, batching, observer);

    private sealed class RecordingObserver : IRecognitionObserver
    {
        public ConcurrentQueue<RecognitionBatch> Batches { get; } = new();

        public ConcurrentQueue<BatchDecision> Decisions { get; } = new();

        public ManualResetEventSlim Decided { get; } = new(false);

        public ManualResetEventSlim? Hold { get; init; }

        /// <summary>The decision (1-based) at which the executor is held until <see cref="Hold"/> is set.</summary>
        public int HoldAt { get; init; } = 1;

        private int _decisions;

        public void BatchDecided(BatchDecision decision, int queueDepth)
        {
            Decisions.Enqueue(decision);
            if (Interlocked.Increment(ref _decisions) >= HoldAt)
            {
                Decided.Set();
                Hold?.Wait(TimeSpan.FromSeconds(30));
            }
        }

        public void BatchCompleted(RecognitionBatch batch) => Batches.Enqueue(batch);

        /// <summary>
        /// Waits until batches holding <paramref name="crops"/> crops in all were reported: the scheduler answers a batch's
        /// crops before it reports the batch, so a caller that has its texts can be ahead of the last report.
        /// </summary>
        public void WaitForCrops(int crops) =>
            Assert.True(SpinWait.SpinUntil(() => Batches.Sum(b => b.Size) >= crops, TimeSpan.FromSeconds(30)), $"batches of {crops} crops were not all reported");
    }
}
