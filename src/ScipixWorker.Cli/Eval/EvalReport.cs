using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScipixWorker.Cli.Eval;

/// <summary>What <c>scipix eval --json</c> prints; CER and WER are fractions.</summary>
internal sealed record EvalReport
{
    public static JsonSerializerOptions JsonOptions { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = false };

    public string Set { get; init; } = string.Empty;

    public string Mode { get; init; } = string.Empty;

    public string Engine { get; init; } = string.Empty;

    public int Images { get; init; }

    /// <summary>Items the engine failed on (too large, corrupt, unsupported), scored as read empty.</summary>
    public int Failed { get; init; }

    public long Characters { get; init; }

    public double Cer { get; init; }

    public double Wer { get; init; }

    [JsonPropertyName("bag_of_lines_cer")]
    public double BagOfLinesCer { get; init; }

    public double ExactMatch { get; init; }

    public double? MeanConfidence { get; init; }

    [JsonPropertyName("ms_median")]
    public double MsMedian { get; init; }

    [JsonPropertyName("ms_p95")]
    public double MsP95 { get; init; }

    [JsonPropertyName("ms_mean")]
    public double MsMean { get; init; }
}
