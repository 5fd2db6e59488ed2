using System.Net;
using ScipixWorker.Contracts;
using ScipixWorker.IntegrationTests.Support;

namespace ScipixWorker.IntegrationTests;

public sealed class ObservabilityTests
{
    [Fact]
    public async Task Metrics_count_what_happened_and_health_reports_ready()
    {
        await using var worker = new WorkerUnderTest(new() { ["Ocr:WarmUp"] = "true" });
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        await Eventually.True(async () => await worker.HealthAsync("/health/ready") == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "/health/ready");
        Assert.Equal(HttpStatusCode.OK, await worker.HealthAsync("/health/live"));
        Assert.Equal(HttpStatusCode.NotFound, await worker.HealthAsync("/health/ready", worker.MetricsPort));
        var (file, _) = SampleImages.Lines[1]; // TOTAL EXCL. OF GST, in print condensed enough to be read again
        var image = await worker.UploadAsync(file, SampleImages.Bytes(file));
        var options = new RecognitionOptions(RecognitionOnly: true);
        RecognizeDocument[] jobs =
        [
            new(Guid.NewGuid(), image, options),
            new(Guid.NewGuid(), image, options),
            new(Guid.NewGuid(), new ImageLocation(worker.Container, "missing.png"), options),
        ];
        var before = await worker.ScrapeMetricsAsync();

        await worker.SendAsync(jobs[0]);
        await broker.WaitForResultsAsync([jobs[0].JobId]);
        await worker.SendAsync(jobs[1], jobs[2]); // the same image again (cache hit) and a missing blob
        await broker.WaitForResultsAsync([.. jobs.Select(j => j.JobId)]);
        await worker.SendAsync(jobs[0]); // a duplicate
        await Eventually.True(
            async () => MetricsText.Value(await worker.ScrapeMetricsAsync(), "scipix_jobs_total{outcome=\"duplicate\"}") > MetricsText.Value(before, "scipix_jobs_total{outcome=\"duplicate\"}"),
            TimeSpan.FromSeconds(10),
            "the duplicate to be counted");

        var after = await worker.ScrapeMetricsAsync();
        double Delta(string series) => MetricsText.Value(after, series) - MetricsText.Value(before, series);
        Assert.Equal(2, Delta("scipix_jobs_total{outcome=\"recognized\"}"));
        Assert.Equal(1, Delta("scipix_jobs_total{outcome=\"failed\"}"));
        Assert.Equal(1, Delta("scipix_jobs_total{outcome=\"duplicate\"}"));
        Assert.Equal(1, Delta("scipix_job_failures_total{code=\"image-not-found\"}"));
        Assert.Equal(1, Delta("scipix_cache_hits_total"));
        Assert.Equal(2, Delta("scipix_stage_duration_seconds_count{stage=\"download\"}"));
        Assert.Equal(2, Delta("scipix_stage_duration_seconds_count{stage=\"total\"}"));
        Assert.Equal(4, Delta("scipix_batch_size_sum"));
        Assert.Equal(1, Delta("scipix_recognition_batch_crops_sum")); // one line crop recognized; the cache hit none
        Assert.Equal(1, Delta("scipix_recognition_lines_read_again_total")); // and read again stretched (Ocr:CondensedLines)
        Assert.Equal(1, Delta("scipix_recognition_batch_decisions_total{reason=\"explore\"}")); // a new controller measures size 1 first
        Assert.Equal(0, MetricsText.Value(after, "scipix_recognition_queue_depth"));
        Assert.Equal(0, MetricsText.Value(after, "scipix_jobs_in_flight"));
        Assert.Equal(224 * 1024 * 1024, MetricsText.Value(after, "scipix_memory_budget_bytes")); // the CPU default
        Assert.Equal(11, MetricsText.Value(after, "scipix_recognition_batch_size_limit")); // a third of it holds 11 crops of 224 px
        Assert.Equal(0, MetricsText.Value(after, "scipix_memory_budget_in_use_bytes"));
        Assert.True(MetricsText.Value(after, "scipix_model_load_seconds") > 0);
        Assert.True(MetricsText.Value(after, "scipix_model_warmup_seconds") > 0);
        // prometheus-net's defaults (DefaultMetrics): the .NET meters (the runtime's here; MassTransit's series were missing
        // when other tests' buses had come and gone in this process before), not the EventCounter adapter's copies of the same
        // figures nor the runtime's internal QUIC meter.
        Assert.Contains("\nsystem_runtime_dotnet_gc_collections", after, StringComparison.Ordinal);
        Assert.Contains("\nprocess_cpu_seconds_total", after, StringComparison.Ordinal);
        Assert.DoesNotContain("private_internaldiagnostics", after, StringComparison.Ordinal);
        Assert.DoesNotContain("prometheus_net_eventcounteradapter", after, StringComparison.Ordinal);
        Assert.Contains("scipix_model_info{detector=\"ch_PP-OCRv4_det_infer.onnx\",recognizer=\"ch_PP-OCRv4_rec_infer.onnx\",classifier=\"ch_ppocr_mobile_v2.0_cls_infer.onnx\",precision=\"fp32\",provider=\"cpu\"} 1", after, StringComparison.Ordinal);
    }
}
