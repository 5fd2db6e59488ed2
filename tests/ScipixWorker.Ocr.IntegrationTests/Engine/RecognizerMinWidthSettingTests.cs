using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>Ocr:RecognizerMinWidth as a host reads it (the tensors it leads to: PipelinedRecognitionTests).</summary>
public sealed class RecognizerMinWidthSettingTests
{
    [Theory]
    [InlineData("40")]
    [InlineData("5000")]
    public async Task A_minimum_width_out_of_range_stops_the_host_at_start_naming_the_setting(string value)
    {
        using var host = Build(value);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains(nameof(OcrEngineOptions.RecognizerMinWidth), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_configured_minimum_reaches_the_options_and_the_default_is_224()
    {
        using var configured = Build("320");
        using var unset = Build(null);

        Assert.Equal(320, configured.Services.GetRequiredService<IOptions<OcrEngineOptions>>().Value.RecognizerMinWidth);
        Assert.Equal(224, unset.Services.GetRequiredService<IOptions<OcrEngineOptions>>().Value.RecognizerMinWidth);
    }

    private static IHost Build(string? minWidth) => OcrHost.Build("Ocr:RecognizerMinWidth", minWidth);
}
