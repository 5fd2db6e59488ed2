using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ScipixWorker.Observability;

/// <summary>Where Prometheus scrapes <c>/metrics</c> (section <c>Metrics</c>).</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    [Range(1, 65535)]
    public int Port { get; set; } = 9464;
}

/// <summary>Where <c>/health/live</c> and <c>/health/ready</c> are served (section <c>Health</c>).</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    [Range(1, 65535)]
    public int Port { get; set; } = 8080;
}

[OptionsValidator]
internal sealed partial class MetricsOptionsValidator : IValidateOptions<MetricsOptions>;

[OptionsValidator]
internal sealed partial class HealthOptionsValidator : IValidateOptions<HealthOptions>;
