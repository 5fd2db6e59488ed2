namespace ScipixWorker.Ocr.Precision;

/// <summary>Whether a variant may run.</summary>
public enum VariantState
{
    /// <summary>No file beside the FP32 model.</summary>
    Missing,

    /// <summary>A file, but variants.json does not list it.</summary>
    NotListed,

    /// <summary>Listed, but the file's SHA-256 differs from the listed one.</summary>
    HashMismatch,

    /// <summary>Listed without gate results.</summary>
    GateNotRun,

    /// <summary>Listed, and it failed the gate on at least one set.</summary>
    GateFailed,

    /// <summary>Listed, and it passed the gate on every set it was measured on.</summary>
    Passed,
}

/// <summary>What is known about one variant of one model.</summary>
/// <param name="Precision">int8 or fp16.</param>
/// <param name="Path">Where its file is (or would be).</param>
/// <param name="State">Whether it may run.</param>
/// <param name="Entry">Its variants.json entry, if listed.</param>
public sealed record VariantStatus(ModelPrecision Precision, string Path, VariantState State, ModelVariantEntry? Entry)
{
    /// <summary>True when the file is there (whatever the gate says).</summary>
    public bool FileExists => State is not VariantState.Missing;

    /// <summary>Why the variant can or cannot run, for messages.</summary>
    public string Describe()
    {
        var name = System.IO.Path.GetFileName(Path);
        return State switch
        {
            VariantState.Missing => $"there is no {name} beside the FP32 model",
            VariantState.NotListed => $"{name} is not listed in variants.json (it has not been through the accuracy gate)",
            VariantState.HashMismatch => $"{name} is not the file variants.json lists (SHA-256 differs)",
            VariantState.GateNotRun => $"{name} has not been through the accuracy gate (variants.json lists no result)",
            VariantState.GateFailed => $"{name} failed the accuracy gate ({Entry!.GateSummary})",
            _ => $"{name} passed the accuracy gate ({Entry!.GateSummary})",
        };
    }
}
