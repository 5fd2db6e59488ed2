using System.Diagnostics;
using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// The timing run behind Batching:Executors' default (docs/batching.md): throughput of single-line jobs and
/// of receipts mixed with lines, driven as the worker drives the engine, for executors x intra-op threads.
/// Runs only with SCIPIX_MEASURE=1 (it takes a minute); writes its table to the test output.
/// </summary>
public sealed class ExecutorTiming
{
    [Fact]
    public async Task Measure_executors_against_intra_op_threads()
    {
        if (Environment.GetEnvironmentVariable("SCIPIX_MEASURE") != "1")
        {
            return;
        }

        var lines = Directory.GetFiles(Fixtures.Path("sroie"), "line_*.png").SelectMany(p => Enumerable.Repeat((File.ReadAllBytes(p), OcrMode.SingleLine), 12)).ToArray();
        var mixed = Enumerable.Range(0, 4).Select(_ => (Fixtures.Bytes("sroie", "receipt_000.jpg"), OcrMode.Full)).Concat(lines.Take(54)).ToArray();
        foreach (var (name, jobs) in new[] { ("lines", lines), ("mixed", mixed) })
        {
        foreach (var (executors, threads, mode) in new[]
        {
            (1, 2, BatchingMode.Static), (2, 1, BatchingMode.Static), (1, 1, BatchingMode.Static),
            (1, 2, BatchingMode.Adaptive), (2, 1, BatchingMode.Adaptive),
        })
        {
            if (name == "lines" && mode == BatchingMode.Adaptive)
            {
                continue;
            }

            var observer = new Counting();
            using var engine = new OcrEngine(
                new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, IntraOpThreads = threads },
                null,
                new BatchingOptions { Mode = mode, StaticBatchSize = 1, Executors = executors },
                observer);
            engine.WarmUp(TestContext.Current.CancellationToken);
            await Run(engine, jobs.Take(8).ToArray()); // the scheduler's threads and first shapes
            observer.Reset();

            var started = Stopwatch.GetTimestamp();
            await Run(engine, jobs);
            var elapsed = Stopwatch.GetElapsedTime(started);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{name,-5} {mode,-8} executors={executors} intraop={threads}: {jobs.Length} jobs in {elapsed.TotalSeconds:F2} s = {jobs.Length / elapsed.TotalSeconds:F1} jobs/s; " +
                $"{observer.Crops} crops in {observer.Batches} batches, recognizer {observer.Execution.TotalMilliseconds / observer.Crops:F1} ms/crop (executor time)");
        }
        }
    }

    // As the worker runs it: 8 jobs in flight, stage 1 of at most 2 (cores) at once (InferenceGate).
    private static async Task Run(OcrEngine engine, (byte[] Image, OcrMode Mode)[] jobs)
    {
        using var inFlight = new SemaphoreSlim(8);
        using var stage1 = new SemaphoreSlim(2);
        await Task.WhenAll(jobs.Select(j => Task.Run(async () =>
        {
            await inFlight.WaitAsync();
            try
            {
                Task<OcrDocument> recognition;
                await stage1.WaitAsync();
                try
                {
                    recognition = engine.RecognizeAsync(j.Image, j.Mode);
                }
                finally
                {
                    stage1.Release();
                }

                await recognition;
            }
            finally
            {
                inFlight.Release();
            }
        })));
    }

    private sealed class Counting : IRecognitionObserver
    {
        private readonly Lock _gate = new();

        public int Crops { get; private set; }

        public int Batches { get; private set; }

        public TimeSpan Execution { get; private set; }

        public void Reset()
        {
            lock (_gate)
            {
                (Crops, Batches, Execution) = (0, 0, TimeSpan.Zero);
            }
        }

        public void BatchDecided(BatchDecision decision, int queueDepth)
        {
        }

        public void BatchCompleted(RecognitionBatch batch)
        {
            lock (_gate)
            {
                Crops += batch.Size;
                Batches++;
                Execution += batch.Execution;
            }
        }
    }
}
