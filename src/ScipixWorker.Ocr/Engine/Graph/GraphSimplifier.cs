namespace ScipixWorker.Ocr.Engine.Graph;

/// <summary>What <see cref="GraphSimplifier.Simplify"/> did to a model.</summary>
/// <param name="AffinesIntoConvs">Scalar multiply-adds after a convolution folded into its weights and bias.</param>
/// <param name="HardSwishes">HardSwish activations written as four element-wise nodes that became two.</param>
/// <param name="AffinesIntoPointwiseConvs">Scalar multiply-adds before a 1 x 1 convolution folded into its weights and bias.</param>
/// <param name="NodesBefore">Nodes before (Constant nodes included).</param>
/// <param name="NodesAfter">Nodes after.</param>
/// <param name="Skipped">Why nothing was changed, where the model was left as it was for a reason other than finding nothing.</param>
internal sealed record GraphSimplification(int AffinesIntoConvs, int HardSwishes, int AffinesIntoPointwiseConvs, int NodesBefore, int NodesAfter, string? Skipped = null)
{
    public bool Changed => AffinesIntoConvs + HardSwishes + AffinesIntoPointwiseConvs > 0;
}

/// <summary>
/// Rewrites the element-wise tails of PaddleOCR's exported backbones into fewer nodes, with the same arithmetic up to float
/// rounding, before ONNX Runtime loads them. paddle2onnx writes PP-LCNetV3's learnable affine blocks (a scalar scale and
/// bias after each convolution and after each activation) as a Mul and an Add each, and every HardSwish as
/// Add(3), Clip(0, 6), Mul and Div(6). ONNX Runtime's own graph optimizations fuse none of them (ORT 1.31, level ALL), so the
/// recognizer ran 250 element-wise nodes beside its 38 convolutions, and converted its tensors out of and back into the
/// blocked layout of its convolutions around each: 39 % of its time in the element-wise nodes and 9 % in the layout
/// conversions at a 48 x 224 line (docs/benchmarks.md, "Simpler model graphs").
/// <list type="number">
/// <item>Conv → Mul(a) → Add(b), with scalar constants a, b: the convolution's weights become a·W and its bias a·B + b.</item>
/// <item>x → Add(3) → Clip(0, 6) → Mul(x, ·) → Div(6): HardSigmoid(x; α = 1/6, β = 1/2) → Mul(x, ·), the same function.</item>
/// <item>Mul(c) → Add(d) → a 1 x 1 convolution without padding and in one group: weights c·W, bias B + d·ΣW over each output's
///   inputs. Exact because a 1 x 1 window never reads padding; before a padded convolution the padding would not have been
///   scaled and shifted, so those pairs stay.</item>
/// </list>
/// Each pattern is taken only where every intermediate value has that one reader and is not a graph output, and where the
/// constants are inline FP32 tensors read by that node alone. Models with subgraphs are left as they are. The folded values
/// differ from the separate operations by float rounding only: on sroie_lines every reading and its confidence to 1e-6 stay.
/// </summary>
internal static class GraphSimplifier
{
    // AttributeProto.s, where a string attribute (Conv's auto_pad) keeps its value.
    private const int AutoPadValue = 4;

    /// <summary>The simplified model and what changed; the model itself (the same array) where nothing did.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model.</exception>
    public static (byte[] Model, GraphSimplification Report) Simplify(byte[] model)
    {
        var graph = OnnxGraph.Parse(model);
        var before = graph.Nodes.Count;
        if (graph.HasSubgraphs)
        {
            return (model, new GraphSimplification(0, 0, 0, before, before, "the model has subgraphs"));
        }

        var affines = FoldAffinesIntoConvs(graph);
        var hardSwishes = FuseHardSwishes(graph);
        var pointwise = FoldAffinesIntoPointwiseConvs(graph);
        var report = new GraphSimplification(affines, hardSwishes, pointwise, before, before);
        if (!report.Changed)
        {
            return (model, report);
        }

        graph.RemoveUnreadConstants();
        return (graph.ToArray(), report with { NodesAfter = graph.Nodes.Count });
    }

    private static int FoldAffinesIntoConvs(OnnxGraph graph)
    {
        var folded = 0;
        var readers = graph.Readers();
        foreach (var conv in graph.Nodes.Where(n => n.IsConv).ToList())
        {
            if (SoleReader(graph, readers, conv.Outputs[0]) is not { OpType: "Mul" } mul || ScalarOperand(graph, mul, conv.Outputs[0]) is not { } scale
                || ConvParameters(graph, readers, conv) is not { } parameters)
            {
                continue;
            }

            var last = mul;
            var shift = 0f;
            if (SoleReader(graph, readers, mul.Outputs[0]) is { OpType: "Add" } add && ScalarOperand(graph, add, mul.Outputs[0]) is { } b)
            {
                last = add;
                shift = b;
            }

            var (weights, dims, bias) = parameters;
            for (var i = 0; i < weights.Length; i++)
            {
                weights[i] *= scale;
            }

            for (var o = 0; o < bias.Length; o++)
            {
                bias[o] = (bias[o] * scale) + shift;
            }

            graph.SetConstant(conv.Inputs[1], weights, dims);
            SetBias(graph, conv, bias);
            conv.Outputs[0] = last.Outputs[0];
            graph.Nodes.Remove(mul);
            graph.Nodes.Remove(last);
            readers = graph.Readers();
            folded++;
        }

        return folded;
    }

    private static int FuseHardSwishes(OnnxGraph graph)
    {
        var fused = 0;
        var readers = graph.Readers();
        foreach (var add in graph.Nodes.Where(n => n.OpType == "Add" && n.Domain.Length == 0 && n.Inputs.Count == 2).ToList())
        {
            var x = add.Inputs.FirstOrDefault(i => ScalarOperand(graph, add, i) == 3f);
            if (x is null
                || SoleReader(graph, readers, add.Outputs[0]) is not { OpType: "Clip" } clip || clip.Inputs[0] != add.Outputs[0] || ClipBounds(graph, clip) != (0f, 6f)
                || SoleReader(graph, readers, clip.Outputs[0]) is not { OpType: "Mul" } mul || !mul.Inputs.Contains(x) || !mul.Inputs.Contains(clip.Outputs[0])
                || SoleReader(graph, readers, mul.Outputs[0]) is not { OpType: "Div" } div || div.Inputs[0] != mul.Outputs[0] || ScalarOperand(graph, div, mul.Outputs[0]) != 6f)
            {
                continue;
            }

            // In the Div's place: every input (x) is written before the Add, which comes before the Div.
            var gate = add.Outputs[0] + "/hardsigmoid";
            var at = graph.Nodes.IndexOf(div);
            graph.Nodes[at] = OnnxNode.Create("Mul", mul.Name, [x, gate], [div.Outputs[0]]);
            graph.Nodes.Insert(at, OnnxNode.Create("HardSigmoid", add.Name + "/hardsigmoid", [x], [gate], OnnxNode.FloatAttribute("alpha", 1f / 6), OnnxNode.FloatAttribute("beta", 0.5f)));
            graph.Nodes.Remove(add);
            graph.Nodes.Remove(clip);
            graph.Nodes.Remove(mul);
            readers = graph.Readers();
            fused++;
        }

        return fused;
    }

    private static int FoldAffinesIntoPointwiseConvs(OnnxGraph graph)
    {
        var folded = 0;
        var readers = graph.Readers();
        foreach (var mul in graph.Nodes.Where(n => n.OpType == "Mul" && n.Domain.Length == 0 && n.Inputs.Count == 2).ToList())
        {
            var x = mul.Inputs.FirstOrDefault(i => ScalarOperand(graph, mul, i) is not null);
            if (x is null || ScalarOperand(graph, mul, x) is not { } scale
                || SoleReader(graph, readers, mul.Outputs[0]) is not { OpType: "Add" } add || ScalarOperand(graph, add, mul.Outputs[0]) is not { } shift
                || SoleReader(graph, readers, add.Outputs[0]) is not { } conv || !IsUnpaddedSingleGroup(conv) || conv.Inputs[0] != add.Outputs[0]
                || ConvParameters(graph, readers, conv) is not { } parameters || parameters.Dims.Skip(2).Any(k => k != 1))
            {
                continue;
            }

            var (weights, dims, bias) = parameters;
            var perOutput = weights.Length / bias.Length;
            for (var o = 0; o < bias.Length; o++)
            {
                var sum = 0.0;
                for (var k = o * perOutput; k < (o + 1) * perOutput; k++)
                {
                    sum += weights[k];
                    weights[k] *= scale;
                }

                bias[o] += (float)(shift * sum);
            }

            graph.SetConstant(conv.Inputs[1], weights, dims);
            SetBias(graph, conv, bias);
            conv.Inputs[0] = x;
            graph.Nodes.Remove(mul);
            graph.Nodes.Remove(add);
            readers = graph.Readers();
            folded++;
        }

        return folded;
    }

    // A convolution in one group that reads no padding: explicit pads all zero (or none), auto_pad unset or VALID. With a
    // 1 x 1 kernel (checked on its weights) each output reads its inputs at one position, padding never.
    private static bool IsUnpaddedSingleGroup(OnnxNode conv) =>
        conv.IsConv && (conv.Int("group") ?? 1) == 1 && (conv.Ints("pads") ?? []).All(p => p == 0)
        && conv.Attribute("auto_pad")?.First(AutoPadValue)?.AsString() is null or "NOTSET" or "VALID";

    // The weights (a copy), their shape and the bias (zeros if none) of a convolution whose constants only it reads.
    private static (float[] Weights, long[] Dims, float[] Bias)? ConvParameters(OnnxGraph graph, Dictionary<string, int> readers, OnnxNode conv)
    {
        if (readers.GetValueOrDefault(conv.Inputs[1]) != 1 || graph.Constant(conv.Inputs[1]) is not { Dims.Length: >= 3 } weights)
        {
            return null;
        }

        var outputs = (int)weights.Dims[0];
        if (conv.Inputs.Count > 2 && conv.Inputs[2].Length > 0)
        {
            if (readers.GetValueOrDefault(conv.Inputs[2]) != 1 || graph.Constant(conv.Inputs[2]) is not { } bias || bias.Values.Length != outputs)
            {
                return null;
            }

            return (weights.Values, weights.Dims, bias.Values);
        }

        return (weights.Values, weights.Dims, new float[outputs]);
    }

    private static void SetBias(OnnxGraph graph, OnnxNode conv, float[] bias)
    {
        if (conv.Inputs.Count > 2 && conv.Inputs[2].Length > 0)
        {
            graph.SetConstant(conv.Inputs[2], bias, [bias.Length]);
            return;
        }

        var name = conv.Outputs[0] + "/folded_bias";
        graph.Nodes.Insert(graph.Nodes.IndexOf(conv), OnnxNode.Create("Constant", name, [], [name], OnnxNode.TensorAttribute("value", OnnxTensor.OfFloats(name, [bias.Length], bias))));
        if (conv.Inputs.Count > 2)
        {
            conv.Inputs[2] = name;
        }
        else
        {
            conv.Inputs.Add(name);
        }
    }

    // The one node reading a value that is not a graph output; null where none, several, or the graph's output.
    private static OnnxNode? SoleReader(OnnxGraph graph, Dictionary<string, int> readers, string value) =>
        readers.GetValueOrDefault(value) == 1 && !graph.Outputs.Contains(value) ? graph.Nodes.Find(n => n.Inputs.Contains(value)) : null;

    // The scalar constant that a two-input node combines with `other`.
    private static float? ScalarOperand(OnnxGraph graph, OnnxNode node, string other)
    {
        if (node.Domain.Length != 0 || node.Inputs.Count != 2 || !node.Inputs.Contains(other) || node.Inputs[0] == node.Inputs[1])
        {
            return null;
        }

        return graph.Scalar(node.Inputs[0] == other ? node.Inputs[1] : node.Inputs[0]);
    }

    // Clip's bounds: attributes before opset 11, inputs 1 and 2 from it on (either may be absent: unbounded).
    private static (float, float)? ClipBounds(OnnxGraph graph, OnnxNode clip)
    {
        if (clip.Inputs.Count == 1)
        {
            return clip.Float("min") is { } min && clip.Float("max") is { } max ? (min, max) : null;
        }

        return clip.Inputs.Count == 3 && graph.Scalar(clip.Inputs[1]) is { } low && graph.Scalar(clip.Inputs[2]) is { } high ? (low, high) : null;
    }
}
