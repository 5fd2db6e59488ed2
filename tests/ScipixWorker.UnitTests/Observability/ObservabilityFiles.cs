using System.Reflection;
using Prometheus;
using ScipixWorker.Observability;

namespace ScipixWorker.UnitTests.Observability;

/// <summary>What the tests of the metrics' documentation and alerting rules compare: the files and the metrics.</summary>
internal static class ObservabilityFiles
{
    /// <summary>The names of the worker's own metrics (<see cref="WorkerMetrics"/>).</summary>
    public static IReadOnlySet<string> WorkerMetricNames() =>
        typeof(WorkerMetrics).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(field => field.GetValue(null))
            .OfType<Collector>()
            .Select(collector => collector.Name)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The text of a file of the repository, found above the test binaries.</summary>
    public static string Read(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine([dir.FullName, .. parts]);
            if (File.Exists(candidate))
            {
                return File.ReadAllText(candidate);
            }
        }

        throw new FileNotFoundException($"{Path.Combine(parts)} not found above the test binaries.");
    }
}
