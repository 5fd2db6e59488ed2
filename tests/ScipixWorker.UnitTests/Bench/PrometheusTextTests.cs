using ScipixWorker.Cli.Bench;

namespace ScipixWorker.UnitTests.Bench;

public sealed class PrometheusTextTests
{
    private const string Exposition = """
        # HELP scipix_batch_size Jobs per batch delivered to the consumer.
        # TYPE scipix_batch_size histogram
        scipix_batch_size_sum 120
        scipix_batch_size_count 20
        scipix_batch_size_bucket{le="1"} 2
        scipix_batch_size_bucket{le="+Inf"} 20
        scipix_batch_size_other_count 999
        scipix_stage_duration_seconds_sum{stage="total"} 3.5
        scipix_stage_duration_seconds_count{stage="total"} 7
        scipix_stage_duration_seconds_sum{stage="download"} 0.5
        scipix_stage_duration_seconds_count{stage="download"} 7
        scipix_recognition_batch_decisions_total{reason="keep_up"} 40
        scipix_recognition_batch_decisions_total{reason="explore"} 2
        scipix_recognition_batch_decisions_total{reason="keep_up",executor="1"} 5
        scipix_recognition_batch_decisions_total_created{reason="idle"} 1700000000
        """;

    [Fact]
    public void A_histograms_count_and_sum_are_read_by_exact_name()
    {
        var totals = PrometheusText.Histogram(Exposition, "scipix_batch_size");

        Assert.Equal(new HistogramTotals(20, 120), totals);
        Assert.Equal(6, totals!.Mean);
    }

    [Fact]
    public void Labelled_series_are_summed()
    {
        Assert.Equal(new HistogramTotals(14, 4), PrometheusText.Histogram(Exposition, "scipix_stage_duration_seconds"));
    }

    [Fact]
    public void A_missing_metric_is_null_and_the_difference_of_two_scrapes_is_the_window()
    {
        Assert.Null(PrometheusText.Histogram(Exposition, "scipix_nothing"));
        Assert.Equal(new HistogramTotals(5, 40), new HistogramTotals(25, 160).Minus(new HistogramTotals(20, 120)));
    }

    [Fact]
    public void A_counter_is_read_by_one_labels_value_and_summed_over_the_others()
    {
        var decisions = PrometheusText.ByLabel(Exposition, "scipix_recognition_batch_decisions_total", "reason");

        Assert.Equal(new Dictionary<string, double> { ["explore"] = 2, ["keep_up"] = 45 }, decisions);
        Assert.Empty(PrometheusText.ByLabel(Exposition, "scipix_nothing_total", "reason"));
    }

    [Fact]
    public void A_gauge_is_read_by_exact_name_and_summed_over_its_labels()
    {
        Assert.Equal(14, PrometheusText.Value(Exposition, "scipix_stage_duration_seconds_count"));
        Assert.Equal(20, PrometheusText.Value(Exposition, "scipix_batch_size_count"));
        Assert.Null(PrometheusText.Value(Exposition, "scipix_batch_size"));
    }

    [Theory]
    [InlineData("scipix_native_allocator_info{allocator=\"jemalloc\"} 1", "jemalloc")]
    [InlineData("scipix_native_allocator_info{allocator=\"jemalloc\"} 0\nscipix_native_allocator_info{allocator=\"glibc\"} 1", "glibc")]
    [InlineData("scipix_batch_size_count 20", null)]
    public void The_bench_reports_the_allocator_the_worker_exports(string exposition, string? expected) =>
        Assert.Equal(expected, E2eRunner.Allocator(exposition));
}
