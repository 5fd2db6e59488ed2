using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.Ocr.UnitTests.Precision;

public sealed class AccuracyGateTests
{
    [Theory]
    [InlineData(0.050, 0.050, true)]
    [InlineData(0.050, 0.0525, true)]
    [InlineData(0.050, 0.0526, false)]
    [InlineData(0.050, 0.300, false)]
    [InlineData(0.0105, 0.17, false)]
    [InlineData(0.050, 0.040, true)]
    public void Variant_cer_may_be_at_most_five_percent_relative_above_fp32(double fp32, double variant, bool passes)
    {
        Assert.Equal(passes, AccuracyGate.Judge(fp32, variant).Passed);
    }

    [Fact]
    public void Perfect_fp32_allows_no_error_at_all()
    {
        Assert.True(AccuracyGate.Judge(0, 0).Passed);
        var verdict = AccuracyGate.Judge(0, 0.001);
        Assert.False(verdict.Passed);
        Assert.True(double.IsPositiveInfinity(verdict.RelativeDelta));
        Assert.Contains("+inf", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_delta_is_signed()
    {
        Assert.Equal(0.1, AccuracyGate.RelativeDelta(0.05, 0.055), 9);
        Assert.Equal(-0.2, AccuracyGate.RelativeDelta(0.05, 0.04), 9);
        Assert.Equal("+10.0%", AccuracyGate.FormatDelta(0.1));
        Assert.Equal("-20.0%", AccuracyGate.FormatDelta(-0.2));
    }

    [Theory]
    [InlineData(0.96, true)]
    [InlineData(0.95, true)]
    [InlineData(0.79, false)]
    public void On_pages_the_boxes_must_agree_too(double boxAgreement, bool passes)
    {
        var verdict = AccuracyGate.Judge(0.10, 0.10, boxAgreement);
        Assert.Equal(passes, verdict.Passed);
        Assert.Contains("box agreement", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Slack_for_tiny_fixtures_is_explicit_and_absolute()
    {
        // One extra character error in 150 characters.
        Assert.False(AccuracyGate.Judge(2 / 150.0, 3 / 150.0).Passed);
        Assert.True(AccuracyGate.Judge(2 / 150.0, 3 / 150.0, absoluteSlack: 1 / 150.0).Passed);
        Assert.False(AccuracyGate.Judge(2 / 150.0, 4 / 150.0, absoluteSlack: 1 / 150.0).Passed);
    }

    [Fact]
    public void Negative_rates_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AccuracyGate.Judge(-0.1, 0));
    }
}
