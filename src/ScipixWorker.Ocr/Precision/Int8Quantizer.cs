using Microsoft.ML.OnnxRuntime;
using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Engine.Graph;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.Precision;

/// <summary>How <see cref="Int8Quantizer"/> quantizes a model.</summary>
/// <param name="ReduceRange">
/// Weights in 7 bits (−63..63) instead of 8. ONNX Runtime's u8 × s8 kernels on x86 CPUs without VNNI add pairs of products
/// in 16 bits, which 8-bit weights can overflow (255 × 127 × 2 &gt; 32,767); 7-bit weights cannot, so a variant made with it
/// reads the same on every x86 CPU. On by default.
/// </param>
/// <param name="SkipFirst">Convolutions left in FP32 at the start of the graph (in node order): the first reads the image.</param>
/// <param name="SkipLast">Convolutions left in FP32 at the end.</param>
internal sealed record Int8Settings(bool ReduceRange = true, int SkipFirst = 0, int SkipLast = 0)
{
    /// <summary>The largest weight magnitude: 63 with <see cref="ReduceRange"/>, else 127.</summary>
    public int WeightMax => ReduceRange ? 63 : 127;
}

/// <summary>The range a value took on the calibration inputs (or the part of it kept: <see cref="Calibration"/>).</summary>
internal readonly record struct ValueRange(float Min, float Max)
{
    /// <summary>
    /// Asymmetric UINT8 parameters covering the range widened to hold 0 (so that zero padding is exact): scale
    /// (max − min) / 255, zero point −min / scale rounded.
    /// </summary>
    public (float Scale, byte ZeroPoint) UInt8()
    {
        var low = Math.Min(Min, 0f);
        var high = Math.Max(Max, 0f);
        var scale = (high - low) / 255f;
        if (!(scale > 0) || !float.IsFinite(scale))
        {
            return (1f, 0);
        }

        return (scale, (byte)Math.Clamp(Math.Round(-low / scale), 0, 255));
    }
}

/// <summary>What <see cref="Int8Quantizer.Quantize"/> did.</summary>
/// <param name="Quantized">Convolutions now running on INT8 weights and UINT8 activations.</param>
/// <param name="Kept">Convolutions left in FP32 (skipped by the settings, weights not constant, output a graph output, no range).</param>
/// <param name="Values">Activations quantized (each once, however many convolutions read it).</param>
internal sealed record Int8Report(int Quantized, int Kept, int Values);

/// <summary>
/// Static INT8 quantization of a model's convolutions, in the QDQ form ONNX Runtime turns into integer kernels: each
/// convolution's input and output pass through QuantizeLinear → DequantizeLinear with the scale of the range they took on
/// calibration inputs (UINT8, asymmetric, per tensor), its weights are stored as INT8 with one scale per output channel
/// (symmetric) and its bias as INT32 on the product of the two scales. ONNX Runtime fuses each
/// DequantizeLinear → Conv → QuantizeLinear into one QLinearConv; every other node stays in FP32 and reads the dequantized
/// values (mixed precision: the attention, LayerNorm and classifier of the recognizer are where INT8 loses the reading).
/// <para>
/// The quantize nodes are ONNX Runtime's own (domain <c>com.microsoft</c>), which take a per-channel axis from ONNX opset
/// 10 on (ONNX's own need 13, and raising the recognizer from its opset 9 to 13 would change Softmax, Squeeze and Clip too);
/// the fused QLinearConv needs 10, so a model below it is raised to 10 (<see cref="RaiseToOpset10"/>). A model made here
/// runs on ONNX Runtime only, as the engine does.
/// </para>
/// </summary>
internal static class Int8Quantizer
{
    /// <summary>ONNX Runtime's operator domain.</summary>
    public const string ContribDomain = "com.microsoft";

    /// <summary>
    /// The recognizer in INT8: its FP32 model simplified as the engine loads it (<see cref="GraphSimplifier"/>), calibrated on
    /// <paramref name="lines"/> fed exactly as the engine feeds them (grouped by width in batches of <paramref name="batch"/>,
    /// each as wide as its widest line and at least <paramref name="minWidth"/>), then quantized.
    /// </summary>
    /// <param name="fp32Model">The FP32 recognizer's bytes.</param>
    /// <param name="lines">Calibration line images.</param>
    /// <param name="minWidth">The narrowest tensor (<c>Ocr:RecognizerMinWidth</c>).</param>
    /// <param name="batch">Lines per calibration run.</param>
    /// <param name="percentile">Null: min-max ranges; else the percentile kept (<see cref="Calibration"/>).</param>
    /// <param name="settings">What to quantize.</param>
    public static (byte[] Model, Int8Report Report) QuantizeRecognizer(
        byte[] fp32Model, IReadOnlyList<RgbBuffer> lines, int minWidth, int batch, double? percentile, Int8Settings settings)
    {
        var (simplified, _) = GraphSimplifier.Simplify(fp32Model);
        var values = ValuesToCalibrate(simplified, settings);
        var calibration = new Calibration(values, percentile);
        using (var sessionOptions = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount })
        using (var session = new InferenceSession(WithOutputs(simplified, values), sessionOptions))
        {
            var buckets = new WidthBuckets(minWidth);
            foreach (var group in lines.OrderBy(l => l.Width / (double)l.Height).Chunk(Math.Max(1, batch)))
            {
                var (rows, width) = TextRecognizer.TensorShape(group, buckets, fixedShapes: false);
                calibration.Run(session, TextRecognizer.BatchTensor(group, width, rows), [rows, 3, TextRecognizer.InputHeight, width]);
            }
        }

        return Quantize(simplified, calibration.Ranges(), settings);
    }

    /// <summary>The values whose ranges <see cref="Quantize"/> needs: each convolution's input and output, in graph order.</summary>
    public static IReadOnlyList<string> ValuesToCalibrate(byte[] model, Int8Settings settings)
    {
        var graph = OnnxGraph.Parse(model);
        return Activations(Chosen(graph, settings));
    }

    /// <summary>The model with <paramref name="values"/> as graph outputs too, for calibration runs.</summary>
    public static byte[] WithOutputs(byte[] model, IEnumerable<string> values)
    {
        var graph = OnnxGraph.Parse(model);
        foreach (var value in values)
        {
            graph.AddFloatOutput(value);
        }

        return graph.ToArray();
    }

    /// <summary>
    /// The model with its convolutions in INT8, given the ranges of their inputs and outputs
    /// (<see cref="ValuesToCalibrate"/>); a convolution whose input or output has no range stays FP32.
    /// </summary>
    public static (byte[] Model, Int8Report Report) Quantize(byte[] model, IReadOnlyDictionary<string, ValueRange> ranges, Int8Settings settings)
    {
        var graph = OnnxGraph.Parse(model);
        var convs = graph.Nodes.Where(n => n.IsConv).ToList();
        var chosen = Chosen(graph, settings).Where(c => ranges.ContainsKey(c.Inputs[0]) && ranges.ContainsKey(c.Outputs[0])).ToList();
        if (chosen.Count == 0)
        {
            return (model, new Int8Report(0, convs.Count, 0));
        }

        RaiseToOpset10(graph);
        graph.ImportOpset(ContribDomain, 1);
        var values = Activations(chosen);
        var activation = values.ToDictionary(v => v, v => ranges[v].UInt8(), StringComparer.Ordinal);
        foreach (var conv in chosen)
        {
            QuantizeParameters(graph, conv, activation[conv.Inputs[0]].Scale, settings);
        }

        foreach (var value in values)
        {
            InsertQuantizeDequantize(graph, value, activation[value]);
        }

        graph.RemoveUnreadConstants();
        return (graph.ToArray(), new Int8Report(chosen.Count, convs.Count - chosen.Count, values.Count));
    }

    /// <summary>
    /// Raises a model below ONNX opset 10 to it, where ONNX Runtime's fused QLinearConv exists. Of the operators the
    /// recognizer and classifier use, only Slice changed from 9 to 10 (its starts, ends and axes became inputs); every other
    /// operator of opset 9 means the same at 10 (Upsample, Dropout, TopK and the pools' new ceil_mode aside, which these
    /// models do not use: a model with Upsample, Dropout or TopK is refused).
    /// </summary>
    /// <exception cref="NotSupportedException">The model uses an operator whose meaning changed at opset 10.</exception>
    internal static void RaiseToOpset10(OnnxGraph graph)
    {
        if (graph.Opset(string.Empty) is not { } version || version >= 10)
        {
            return;
        }

        if (graph.Nodes.FirstOrDefault(n => n.Domain.Length == 0 && n.OpType is "Upsample" or "Dropout" or "TopK") is { } changed)
        {
            throw new NotSupportedException($"The model is at opset {version} and uses {changed.OpType}, which changed at opset 10: not raised.");
        }

        foreach (var slice in graph.Nodes.Where(n => n.Domain.Length == 0 && n.OpType == "Slice").ToList())
        {
            var starts = slice.Ints("starts") ?? throw new NotSupportedException($"Slice '{slice.Name}' has no starts.");
            var ends = slice.Ints("ends") ?? throw new NotSupportedException($"Slice '{slice.Name}' has no ends.");
            var axes = slice.Ints("axes") ?? Enumerable.Range(0, starts.Count).Select(i => (long)i).ToList();
            var name = $"{slice.Outputs[0]}/slice";
            foreach (var (part, values) in new[] { ("starts", starts), ("ends", ends), ("axes", axes) })
            {
                graph.AddInitializer(OnnxTensor.OfInt64s($"{name}_{part}", [values.Count], [.. values]));
                slice.Inputs.Add($"{name}_{part}");
                slice.RemoveAttribute(part);
            }
        }

        graph.SetOpset(string.Empty, 10);
    }

    /// <summary>
    /// The op types ONNX Runtime runs for <paramref name="model"/> on the CPU after its graph optimizations (the optimized
    /// model it writes): how many convolutions became QLinearConv is what decides whether quantizing paid.
    /// </summary>
    public static List<string> OpTypesAsRun(byte[] model)
    {
        var path = Path.Combine(Path.GetTempPath(), $"scipix-optimized-{Guid.NewGuid():N}.onnx");
        try
        {
            // Errors only: ONNX Runtime warns that a model optimized at this level is for this machine, which is the point.
            using (var options = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, OptimizedModelFilePath = path, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            })
            using (new InferenceSession(model, options))
            {
            }

            return OnnxGraph.Parse(File.ReadAllBytes(path)).Nodes.Select(n => n.OpType).ToList();
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Symmetric per-channel INT8 weights: for each output channel (the first axis) scale = max |w| / <paramref name="max"/>,
    /// q = round(w / scale) within ±max. A channel of zeros gets scale 1.
    /// </summary>
    public static (sbyte[] Values, float[] Scales) QuantizeWeights(float[] weights, int channels, int max)
    {
        var per = weights.Length / channels;
        var values = new sbyte[weights.Length];
        var scales = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            var span = weights.AsSpan(c * per, per);
            var largest = 0f;
            foreach (var w in span)
            {
                largest = Math.Max(largest, Math.Abs(w));
            }

            var scale = largest > 0 ? largest / max : 1f;
            scales[c] = scale;
            for (var i = 0; i < per; i++)
            {
                values[(c * per) + i] = (sbyte)Math.Clamp(Math.Round(span[i] / scale), -max, max);
            }
        }

        return (values, scales);
    }

    /// <summary>A bias in INT32 on the scale input scale × weight scale of each channel, as integer convolutions add it.</summary>
    public static (int[] Values, float[] Scales) QuantizeBias(float[] bias, float inputScale, float[] weightScales)
    {
        var values = new int[bias.Length];
        var scales = new float[bias.Length];
        for (var c = 0; c < bias.Length; c++)
        {
            scales[c] = inputScale * weightScales[c];
            values[c] = (int)Math.Clamp(Math.Round(bias[c] / scales[c]), int.MinValue, int.MaxValue);
        }

        return (values, scales);
    }

    // The convolutions' inputs and outputs, each once, in graph order.
    private static List<string> Activations(IEnumerable<OnnxNode> convs) =>
        convs.SelectMany(c => new[] { c.Inputs[0], c.Outputs[0] }).Distinct(StringComparer.Ordinal).ToList();

    // The convolutions to quantize: constant 4-D weights and bias, an output that is not the graph's, minus those skipped.
    private static List<OnnxNode> Chosen(OnnxGraph graph, Int8Settings settings)
    {
        var convs = graph.Nodes.Where(n => n.IsConv).ToList();
        return convs
            .Where((c, i) => i >= settings.SkipFirst && i < convs.Count - settings.SkipLast)
            .Where(c => graph.Constant(c.Inputs[1]) is { Dims.Length: 4 } weights
                && (c.Inputs.Count < 3 || c.Inputs[2].Length == 0 || graph.Constant(c.Inputs[2]) is { } bias && bias.Values.Length == weights.Dims[0])
                && !graph.Outputs.Contains(c.Outputs[0]) && !graph.Inputs.Contains(c.Inputs[1]))
            .ToList();
    }

    // The convolution reads its weights and bias through DequantizeLinear nodes of INT8 / INT32 initializers.
    private static void QuantizeParameters(OnnxGraph graph, OnnxNode conv, float inputScale, Int8Settings settings)
    {
        var (weights, dims) = graph.Constant(conv.Inputs[1])!.Value;
        var channels = (int)dims[0];
        var (q, scales) = QuantizeWeights(weights, channels, settings.WeightMax);
        var at = graph.Nodes.IndexOf(conv);
        var name = conv.Outputs[0];
        var dequantized = new List<OnnxNode>
        {
            Dequantize(graph, $"{name}/w", OnnxTensor.OfInt8s($"{name}/w_q", dims, q), scales, OnnxTensor.OfInt8s($"{name}/w_zp", [channels], new sbyte[channels])),
        };
        conv.Inputs[1] = dequantized[0].Outputs[0];

        var bias = conv.Inputs.Count > 2 && conv.Inputs[2].Length > 0 ? graph.Constant(conv.Inputs[2])!.Value.Values : new float[channels];
        var (qb, biasScales) = QuantizeBias(bias, inputScale, scales);
        dequantized.Add(Dequantize(graph, $"{name}/b", OnnxTensor.OfInt32s($"{name}/b_q", [channels], qb), biasScales, OnnxTensor.OfInt32s($"{name}/b_zp", [channels], new int[channels])));
        if (conv.Inputs.Count > 2)
        {
            conv.Inputs[2] = dequantized[1].Outputs[0];
        }
        else
        {
            conv.Inputs.Add(dequantized[1].Outputs[0]);
        }

        graph.Nodes.InsertRange(at, dequantized);
    }

    // DequantizeLinear along axis 0 of a quantized constant (its initializers added to the graph).
    private static OnnxNode Dequantize(OnnxGraph graph, string name, Engine.Graph.ProtoMessage quantized, float[] scales, Engine.Graph.ProtoMessage zeroPoints)
    {
        var scale = OnnxTensor.OfFloats($"{name}_scale", [scales.Length], scales);
        graph.AddInitializer(quantized);
        graph.AddInitializer(scale);
        graph.AddInitializer(zeroPoints);
        return OnnxNode.Create(ContribDomain, "DequantizeLinear", $"{name}/dequantize",
            [Name(quantized), $"{name}_scale", Name(zeroPoints)], [$"{name}_dq"], OnnxNode.IntAttribute("axis", 0));
    }

    private static string Name(Engine.Graph.ProtoMessage tensor) => tensor.First(OnnxTensor.Name)!.AsString();

    // value → QuantizeLinear → DequantizeLinear right after the node writing it, and every reader of value reads the result.
    private static void InsertQuantizeDequantize(OnnxGraph graph, string value, (float Scale, byte ZeroPoint) parameters)
    {
        var scaleName = $"{value}/scale";
        var zeroName = $"{value}/zero_point";
        graph.AddInitializer(OnnxTensor.OfFloats(scaleName, [], [parameters.Scale]));
        graph.AddInitializer(OnnxTensor.OfUInt8s(zeroName, [], [parameters.ZeroPoint]));
        var quantized = $"{value}/q";
        var dequantized = $"{value}/dq";
        foreach (var reader in graph.Nodes)
        {
            for (var i = 0; i < reader.Inputs.Count; i++)
            {
                if (reader.Inputs[i] == value)
                {
                    reader.Inputs[i] = dequantized;
                }
            }
        }

        var producer = graph.Nodes.FindIndex(n => n.Outputs.Contains(value));
        graph.Nodes.InsertRange(producer + 1,
        [
            OnnxNode.Create(ContribDomain, "QuantizeLinear", $"{value}/quantize", [value, scaleName, zeroName], [quantized]),
            OnnxNode.Create(ContribDomain, "DequantizeLinear", $"{value}/dequantize", [quantized, scaleName, zeroName], [dequantized]),
        ]);
    }
}
