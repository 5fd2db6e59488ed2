using Microsoft.ML.OnnxRuntime;
using ScipixWorker.Ocr.Engine.Graph;

namespace ScipixWorker.Ocr.UnitTests.Engine;

/// <summary>A small ONNX model built field by field (onnx.proto's numbers): input x [1, 2, 5, 6], output y.</summary>
internal sealed class TinyModel(int opset)
{
    public static readonly long[] InputShape = [1, 2, 5, 6];
    private readonly List<ProtoMessage> _nodes = [];
    private readonly List<string> _extraOutputs = [];
    private readonly Random _random = new(3);
    private bool _subgraph;
    private int _next;

    public static int InputLength => (int)InputShape.Aggregate(1L, (p, d) => p * d);

    /// <summary>Runs a model on ONNX Runtime (all graph optimizations, one thread) and returns its outputs, concatenated.</summary>
    public static float[] Run(byte[] model, float[] input, string[] outputNames)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        using var value = OrtValue.CreateTensorValueFromMemory(input, TinyModel.InputShape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["x"], [value], outputNames);
        return outputs.SelectMany(o => o.GetTensorDataAsSpan<float>().ToArray()).ToArray();
    }

    public string Weights(params long[] dims) =>
        Constant(dims, Enumerable.Range(0, (int)dims.Aggregate(1L, (p, d) => p * d)).Select(_ => (float)(_random.NextDouble() - 0.5)).ToArray());

    public string Bias(int outputs) => Constant([outputs], Enumerable.Range(0, outputs).Select(_ => (float)(_random.NextDouble() - 0.5)).ToArray());

    public string Conv(string input, string weights, string? bias, int pads, string? output = null)
    {
        var pad = new ProtoMessage();
        pad.Fields.Add(ProtoField.OfString(1, "pads"));
        pad.Fields.AddRange(Enumerable.Repeat(ProtoField.OfVarint(8, pads), 4));
        pad.Fields.Add(ProtoField.OfVarint(20, 7));
        return Node("Conv", bias is null ? [input, weights] : [input, weights, bias], output, attributes: [pad]);
    }

    public string Scalar(string op, string input, float value, string? output = null) => Node(op, [input, Constant([1], [value])], output);

    public string Affine(string input, float scale, float shift, string? output = null) => Scalar("Add", Scalar("Mul", input, scale), shift, output);

    public string HardSwish(string input, float clipMax = 6f, string? output = null)
    {
        var shifted = Scalar("Add", input, 3f);
        string clipped;
        if (opset >= 11)
        {
            clipped = Node("Clip", [shifted, Constant([], [0f]), Constant([], [clipMax])]);
        }
        else
        {
            clipped = Node("Clip", [shifted], attributes: [OnnxNode.FloatAttribute("min", 0f), OnnxNode.FloatAttribute("max", clipMax)]);
        }

        return Scalar("Div", Node("Mul", [input, clipped]), 6f, output);
    }

    public string Node(string op, string[] inputs, string? output = null, bool sum = false, ProtoMessage[]? attributes = null)
    {
        if (sum)
        {
            // Add takes two inputs: a chain of them.
            var total = inputs[0];
            for (var i = 1; i < inputs.Length; i++)
            {
                total = Node("Add", [total, inputs[i]], i == inputs.Length - 1 ? output : null);
            }

            return total;
        }

        var name = output ?? $"v{_next++}";
        _nodes.Add(OnnxNode.Create(op, $"{op}_{_next++}", inputs, [name], attributes ?? []).ToProto());
        return name;
    }

    public void Output(string name) => _extraOutputs.Add(name);

    public void WithSubgraphAttribute() => _subgraph = true;

    public byte[] ToArray(int outputChannels)
    {
        var graph = new ProtoMessage();
        graph.Fields.AddRange(_nodes.Select(n => ProtoField.OfMessage(1, n)));
        if (_subgraph)
        {
            // An If node whose branches are empty graphs: never run (its condition is never computed), only carried.
            var branch = new ProtoMessage();
            branch.Fields.Add(ProtoField.OfString(2, "branch"));
            var attribute = new ProtoMessage();
            attribute.Fields.Add(ProtoField.OfString(1, "then_branch"));
            attribute.Fields.Add(ProtoField.OfMessage(6, branch));
            attribute.Fields.Add(ProtoField.OfVarint(20, 5));
            graph.Fields.Add(ProtoField.OfMessage(1, OnnxNode.Create("If", "if", ["cond"], ["unused"], attribute).ToProto()));
        }

        graph.Fields.Add(ProtoField.OfString(2, "tiny"));
        graph.Fields.Add(ProtoField.OfMessage(11, ValueInfo("x", InputShape)));
        graph.Fields.Add(ProtoField.OfMessage(12, ValueInfo("y", [1, outputChannels, InputShape[2], InputShape[3]])));
        graph.Fields.AddRange(_extraOutputs.Select(o => ProtoField.OfMessage(12, ValueInfo(o, null))));
        var opsetImport = new ProtoMessage();
        opsetImport.Fields.Add(ProtoField.OfString(1, string.Empty));
        opsetImport.Fields.Add(ProtoField.OfVarint(2, opset));
        var model = new ProtoMessage();
        model.Fields.Add(ProtoField.OfVarint(1, 7));
        model.Fields.Add(ProtoField.OfMessage(7, graph));
        model.Fields.Add(ProtoField.OfMessage(8, opsetImport));
        return model.ToArray();
    }

    private static ProtoMessage ValueInfo(string name, long[]? dims)
    {
        var tensorType = new ProtoMessage();
        tensorType.Fields.Add(ProtoField.OfVarint(1, 1)); // FLOAT
        if (dims is not null)
        {
            var shape = new ProtoMessage();
            foreach (var d in dims)
            {
                var dim = new ProtoMessage();
                dim.Fields.Add(ProtoField.OfVarint(1, d));
                shape.Fields.Add(ProtoField.OfMessage(1, dim));
            }

            tensorType.Fields.Add(ProtoField.OfMessage(2, shape));
        }

        var type = new ProtoMessage();
        type.Fields.Add(ProtoField.OfMessage(1, tensorType));
        var info = new ProtoMessage();
        info.Fields.Add(ProtoField.OfString(1, name));
        info.Fields.Add(ProtoField.OfMessage(2, type));
        return info;
    }

    private string Constant(long[] dims, float[] values)
    {
        var name = $"c{_next++}";
        _nodes.Add(OnnxNode.Create("Constant", name, [], [name], OnnxNode.TensorAttribute("value", OnnxTensor.OfFloats(name, dims, values))).ToProto());
        return name;
    }
}
