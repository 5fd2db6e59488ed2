using System.Reflection;
using System.Text.RegularExpressions;
using ScipixWorker.Jobs;
using ScipixWorker.Messaging;
using ScipixWorker.Observability;
using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Storage;
using ScipixWorker.UnitTests.Observability;

namespace ScipixWorker.UnitTests;

/// <summary>docs/configuration.md lists every setting the worker binds, as `Section:Key`.</summary>
public sealed class ConfigurationDocsTests
{
    public static TheoryData<Type, string> Sections => new()
    {
        { typeof(WorkerOptions), WorkerOptions.SectionName },
        { typeof(RabbitMqOptions), RabbitMqOptions.SectionName },
        { typeof(BlobStorageOptions), BlobStorageOptions.SectionName },
        { typeof(OcrEngineOptions), OcrEngineOptions.SectionName },
        { typeof(BatchingOptions), BatchingOptions.SectionName },
        { typeof(MetricsOptions), MetricsOptions.SectionName },
        { typeof(HealthOptions), HealthOptions.SectionName },
        { typeof(TracingOptions), TracingOptions.SectionName },
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public void Every_setting_of_the_section_is_in_the_configuration_guide(Type options, string section)
    {
        var guide = ObservabilityFiles.Read("docs", "configuration.md");
        var keys = options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic)
            .Select(p => $"{section}:{p.Name}")
            .ToList();

        Assert.NotEmpty(keys);
        var missing = keys.Where(key => !Regex.IsMatch(guide, $"`{Regex.Escape(key)}(?![A-Za-z0-9])")).ToList();
        Assert.True(missing.Count == 0, $"not in docs/configuration.md: {string.Join(", ", missing)}");
    }
}
