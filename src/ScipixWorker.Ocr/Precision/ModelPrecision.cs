namespace ScipixWorker.Ocr.Precision;

/// <summary>Numeric precision of a model variant, or <see cref="Auto"/> to let the engine choose by measurement.</summary>
public enum ModelPrecision
{
    /// <summary>The engine picks: FP16 on CUDA where a gated FP16 variant exists; on the CPU the INT8 variant
    /// where it passed the accuracy gate and is measurably faster on this machine; FP32 otherwise.</summary>
    Auto = 0,

    /// <summary>The original FP32 model.</summary>
    Fp32 = 1,

    /// <summary>The static INT8 (QDQ) variant, <c>&lt;stem&gt;.int8.onnx</c>.</summary>
    Int8 = 2,

    /// <summary>The FP16 variant (FP32 inputs and outputs), <c>&lt;stem&gt;.fp16.onnx</c>.</summary>
    Fp16 = 3,
}

/// <summary>The three models of the pipeline.</summary>
public enum ModelRole
{
    /// <summary>The DB text detector.</summary>
    Detector,

    /// <summary>The CTC text recognizer.</summary>
    Recognizer,

    /// <summary>The 0/180 angle classifier.</summary>
    Classifier,
}

/// <summary>Names and file names of precisions.</summary>
public static class ModelPrecisionNames
{
    /// <summary>The lower-case label used in logs, metrics, variants.json and file names: fp32, int8, fp16, auto.</summary>
    public static string Label(this ModelPrecision precision) => precision switch
    {
        ModelPrecision.Fp32 => "fp32",
        ModelPrecision.Int8 => "int8",
        ModelPrecision.Fp16 => "fp16",
        _ => "auto",
    };

    /// <summary>Parses a label (case-insensitive).</summary>
    public static bool TryParse(string? label, out ModelPrecision precision)
    {
        switch (label?.Trim().ToLowerInvariant())
        {
            case "fp32": precision = ModelPrecision.Fp32; return true;
            case "int8": precision = ModelPrecision.Int8; return true;
            case "fp16": precision = ModelPrecision.Fp16; return true;
            case "auto": precision = ModelPrecision.Auto; return true;
            default: precision = ModelPrecision.Auto; return false;
        }
    }

    /// <summary>
    /// The file of a variant beside its FP32 model: <c>ch_PP-OCRv4_rec_infer.onnx</c> becomes
    /// <c>ch_PP-OCRv4_rec_infer.int8.onnx</c>. FP32 is the model itself.
    /// </summary>
    public static string VariantFileName(string baseModelFile, ModelPrecision precision)
    {
        if (precision is ModelPrecision.Fp32 or ModelPrecision.Auto)
        {
            return baseModelFile;
        }

        var directory = Path.GetDirectoryName(baseModelFile);
        var name = Path.GetFileNameWithoutExtension(baseModelFile) + "." + precision.Label() + ".onnx";
        return string.IsNullOrEmpty(directory) ? name : Path.Combine(directory, name);
    }

    /// <summary>The configuration key of a role's override, e.g. <c>Ocr:RecognizerPrecision</c>.</summary>
    public static string SettingName(ModelRole role) => $"Ocr:{role}Precision";
}
