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

    /// <summary>
    /// The AMQP heartbeat the worker asks for (the broker may lower it). A connection that went silent without closing
    /// (a broker host that died, a dropped route, a NAT or load balancer forgetting an idle flow) is found dead after
    /// about two heartbeats without a frame; until then the jobs it holds wait in the broker and its result publishes
    /// wait for confirmations. RabbitMQ's own default is 60 s; its guide finds 5 to 20 s right for most environments.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The management plugin's HTTP port: not used by the worker; tools and tests read it from here.</summary>
    [Range(1, 65535)]
    public int ManagementPort { get; set; } = 15672;
}

[OptionsValidator]
internal sealed partial class RabbitMqOptionsValidator : IValidateOptions<RabbitMqOptions>;
