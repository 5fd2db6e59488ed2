using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Ocr.IntegrationTests.Support;

/// <summary>A host with only the OCR engine registered (<see cref="OcrEngineHostingExtensions.AddOcrEngine"/>), built but not started.</summary>
internal static class OcrHost
{
    /// <summary>The host on <paramref name="settings"/>; the repository's models unless they name an Ocr:ModelDirectory.</summary>
    public static IHost Build(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.ContainsKey("Ocr:ModelDirectory")
            ? settings
            : settings.Append(new("Ocr:ModelDirectory", Fixtures.ModelDirectory)));
        builder.Services.AddLogging();
        builder.AddOcrEngine();
        return builder.Build();
    }

    /// <summary>The host with the repository's models and, unless <paramref name="value"/> is null, <paramref name="key"/> set.</summary>
    public static IHost Build(string key, string? value) =>
        Build(value is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { [key] = value });
}
