using ScipixWorker.Observability;

namespace ScipixWorker.UnitTests.Observability;

public sealed class TracingOptionsTests
{
    [Fact]
    public void Tracing_is_off_without_an_endpoint_here_or_in_the_environment()
    {
        Assert.Null(new TracingOptions().EffectiveEndpoint(_ => null));
        Assert.Null(new TracingOptions().EffectiveEndpoint(_ => "not a url"));
    }

    [Fact]
    public void The_section_s_endpoint_wins_over_the_standard_environment_variable()
    {
        var fromEnvironment = new TracingOptions().EffectiveEndpoint(name => name == "OTEL_EXPORTER_OTLP_ENDPOINT" ? "http://collector:4317" : null);
        var fromSection = new TracingOptions { OtlpEndpoint = new Uri("http://mine:4317") }.EffectiveEndpoint(_ => "http://collector:4317");

        Assert.Equal(new Uri("http://collector:4317"), fromEnvironment);
        Assert.Equal(new Uri("http://mine:4317"), fromSection);
    }

    [Theory]
    [InlineData("http://collector:4318", OtlpProtocol.HttpProtobuf, "http://collector:4318/v1/traces")]
    [InlineData("http://collector:4318/", OtlpProtocol.HttpProtobuf, "http://collector:4318/v1/traces")]
    [InlineData("http://gateway/otlp", OtlpProtocol.HttpProtobuf, "http://gateway/otlp/v1/traces")]
    [InlineData("http://collector:4318/v1/traces", OtlpProtocol.HttpProtobuf, "http://collector:4318/v1/traces")]
    [InlineData("http://collector:4317", OtlpProtocol.Grpc, "http://collector:4317/")]
    public void Over_http_the_exporter_is_given_the_traces_path_as_the_sdk_adds_it_to_the_environment_s(string endpoint, OtlpProtocol protocol, string expected)
    {
        var options = new TracingOptions { OtlpEndpoint = new Uri(endpoint), OtlpProtocol = protocol };

        Assert.Equal(new Uri(expected), options.ExporterEndpoint());
    }

    [Fact]
    public void Without_the_section_s_endpoint_the_exporter_reads_the_environment_itself() =>
        Assert.Null(new TracingOptions { OtlpProtocol = OtlpProtocol.HttpProtobuf }.ExporterEndpoint());

    [Theory]
    [InlineData(-0.1, false)]
    [InlineData(0.0, true)]
    [InlineData(0.25, true)]
    [InlineData(1.0, true)]
    [InlineData(1.5, false)]
    public void The_sample_ratio_is_a_share(double ratio, bool valid)
    {
        var result = new TracingOptionsValidator().Validate(null, new TracingOptions { SampleRatio = ratio });

        Assert.Equal(valid, result.Succeeded);
    }
}
