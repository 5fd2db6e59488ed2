using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ScipixWorker.Messaging;

/// <summary>The RabbitMQ broker (section <c>RabbitMq</c>).</summary>
public sealed class RabbitMqOptions
{
    public const string SectionName = "RabbitMq";

    [Required]
    public string Host { get; set; } = "localhost";

    [Range(1, 65535)]
    public int Port { get; set; } = 5672;

    [Required]
    public string VirtualHost { get; set; } = "/";

    [Required]
    public string Username { get; set; } = "guest";

    [Required]
    public string Password { get; set; } = "guest";

    /// <summary>The management plugin's HTTP port: not used by the worker; tools and tests read it from here.</summary>
    [Range(1, 65535)]
    public int ManagementPort { get; set; } = 15672;
}

[OptionsValidator]
internal sealed partial class RabbitMqOptionsValidator : IValidateOptions<RabbitMqOptions>;
