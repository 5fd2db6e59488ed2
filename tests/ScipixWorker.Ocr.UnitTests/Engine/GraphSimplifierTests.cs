using Microsoft.ML.OnnxRuntime;
using ScipixWorker.Ocr.Engine.Graph;

namespace ScipixWorker.Ocr.UnitTests.Engine;

public sealed class GraphSimplifierTests
{
    [Fact]
    public void A_PP_LCNet_block_loses_its_element_wise_nodes_and_computes_the_same()
    {
        // Conv 3x3 -> Mul(1.7) -> Add(-0.3) -> HardSwish (4 nodes) -> Mul(0.9) -> Add(0.2) -> Conv 1x1: as paddle2onnx writes PP-LCNetV3.
        var model = new TinyModel(opset: 9);
        var x = model.Conv("x", model.Weights(3, 2, 3, 3), model.Bias(3), pads: 1);
        x = model.Affine(x, 1.7f, -0.3f);
        x = model.HardSwish(x);
        x = model.Affine(x, 0.9f, 0.2f);
        model.Conv(x, model.Weights(4, 3, 1, 1), bias: null, pads: 0, output: "y");
        var original = model.ToArray(outputChannels: 4);

        var (simplified, report) = GraphSimplifier.Simplify(original);

        Assert.Equal((1, 1, 1), (report.AffinesIntoConvs, report.HardSwishes, report.AffinesIntoPointwiseConvs));
        Assert.Equal(["Conv", "HardSigmoid", "Mul", "Conv"], OpTypes(simplified));
        AssertSameOutputs(original, simplified);
    }

    [Fact]
    public void A_scale_and_shift_before_a_padded_convolution_stays_since_the_padding_was_never_scaled_and_shifted()
    {
        var model = new TinyModel(opset: 9);
        var x = model.Affine("x", 0.5f, 0.25f);
        model.Conv(x, model.Weights(3, 2, 3, 3), model.Bias(3), pads: 1, output: "y");
        var original = model.ToArray(outputChannels: 3);

        var (simplified, report) = GraphSimplifier.Simplify(original);

        Assert.False(report.Changed);
        Assert.Same(original, simplified);
    }

    [Fact]
    public void Values_the_graph_returns_and_weights_other_nodes_read_are_kept()
    {
        // Conv -> Mul(2), whose output the graph returns too, -> Add(1): the Mul folds into the convolution, which then writes
        // that output; the Add stays. A scale-and-shift before a 1x1 convolution whose weights a second convolution reads: stays.
        var model = new TinyModel(opset: 9);
        var scaled = model.Scalar("Mul", model.Conv("x", model.Weights(2, 2, 1, 1), model.Bias(2), pads: 0), 2f);
        model.Output(scaled);
        var shared = model.Weights(2, 2, 1, 1);
        var a = model.Conv(model.Affine("x", 3f, 1f), shared, bias: null, pads: 0);
        var b = model.Conv("x", shared, bias: null, pads: 0);
        model.Node("Add", [model.Scalar("Add", scaled, 1f), a, b], "y", sum: true);
        var original = model.ToArray(outputChannels: 2);

        var (simplified, report) = GraphSimplifier.Simplify(original);

        Assert.Equal((1, 0, 0), (report.AffinesIntoConvs, report.HardSwishes, report.AffinesIntoPointwiseConvs));
        Assert.Contains(OnnxGraph.Parse(simplified).Nodes, n => n.OpType == "Conv" && n.Outputs[0] == scaled);
        AssertSameOutputs(original, simplified, "y", scaled);
    }

    [Fact]
    public void A_clip_between_other_bounds_is_not_a_HardSwish_and_opset_11_bounds_are_read_from_its_inputs()
    {
        var relu6 = new TinyModel(opset: 11);
        relu6.HardSwish("x", clipMax: 5f, output: "y");
        Assert.False(GraphSimplifier.Simplify(relu6.ToArray(outputChannels: 2)).Report.Changed);

        var model = new TinyModel(opset: 11);
        model.HardSwish("x", output: "y");
        var original = model.ToArray(outputChannels: 2);
        var (simplified, report) = GraphSimplifier.Simplify(original);

        Assert.Equal(1, report.HardSwishes);
        Assert.Equal(["HardSigmoid", "Mul"], OpTypes(simplified));
        AssertSameOutputs(original, simplified);
    }

    [Fact]
    public void A_model_with_subgraphs_is_left_as_it_is()
    {
        var model = new TinyModel(opset: 9);
        var x = model.Conv("x", model.Weights(2, 2, 1, 1), model.Bias(2), pads: 0);
        model.Affine(x, 2f, 1f, output: "y");
        model.WithSubgraphAttribute();
        var original = model.ToArray(outputChannels: 2);

        var (simplified, report) = GraphSimplifier.Simplify(original);

        Assert.Same(original, simplified);
        Assert.Equal("the model has subgraphs", report.Skipped);
    }

    [Fact]
    public void A_message_read_and_written_again_comes_back_byte_for_byte_fields_without_a_name_here_included()
    {
        var nested = new ProtoMessage();
        nested.Fields.Add(ProtoField.OfString(1, "name"));
        nested.Fields.Add(ProtoField.OfVarint(99, -5));
        var message = new ProtoMessage();
        message.Fields.Add(ProtoField.OfMessage(7, nested));
        message.Fields.Add(new ProtoField(3, WireType.Fixed64, 0x0123456789ABCDEF, ReadOnlyMemory<byte>.Empty));
        message.Fields.Add(ProtoField.OfFloat(2, 1.5f));
        message.Fields.Add(ProtoField.OfVarint(1000, 300));
        var bytes = message.ToArray();

        var read = ProtoMessage.Parse(bytes);

        Assert.Equal(bytes, read.ToArray());
        Assert.Equal("name", read.First(7)!.Message.First(1)!.AsString());
        Assert.Equal(-5L, unchecked((long)read.First(7)!.Message.First(99)!.Value));
        Assert.Equal(1.5f, read.First(2)!.AsFloat());
        Assert.Equal(bytes, read.ToArray()); // parsing the nested message on demand changed nothing
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x05, 0x01 })]                   // a length past the end
    [InlineData(new byte[] { 0x08, 0xFF, 0xFF })]                   // a varint past the end
    [InlineData(new byte[] { 0x0B, 0x00 })]                         // a group
    [InlineData(new byte[] { 0x00, 0x01 })]                         // field number 0
    public void Malformed_bytes_are_refused(byte[] bytes) =>
        Assert.Throws<InvalidDataException>(() => ProtoMessage.Parse(bytes));

    [Fact]
    public void Bytes_that_are_not_a_model_are_refused_before_anything_is_changed() =>
        Assert.Throws<InvalidDataException>(() => GraphSimplifier.Simplify([0x08, 0x07]));

    private static string[] OpTypes(byte[] model) =>
        OnnxGraph.Parse(model).Nodes.Where(n => n.OpType != "Constant").Select(n => n.OpType).ToArray();

    private static void AssertSameOutputs(byte[] original, byte[] simplified, params string[] outputs)
    {
        outputs = outputs.Length == 0 ? ["y"] : outputs;
        var random = new Random(5);
        var input = Enumerable.Range(0, TinyModel.InputLength).Select(_ => (float)((random.NextDouble() * 8) - 4)).ToArray();
        var expected = Run(original, input, outputs);
        var actual = Run(simplified, input, outputs);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * Math.Max(1f, Math.Abs(expected[i])), $"output {i}: {expected[i]} against {actual[i]}");
        }
    }

    private static float[] Run(byte[] model, float[] input, string[] outputNames)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        using var value = OrtValue.CreateTensorValueFromMemory(input, TinyModel.InputShape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["x"], [value], outputNames);
        return outputs.SelectMany(o => o.GetTensorDataAsSpan<float>().ToArray()).ToArray();
    }

    /// <summary>A small ONNX model built field by field (onnx.proto's numbers): input x [1, 2, 5, 6], output y.</summary>
    private sealed class TinyModel(int opset)
    {
        public static readonly long[] InputShape = [1, 2, 5, 6];
        private readonly List<ProtoMessage> _nodes = [];
        private readonly List<string> _extraOutputs = [];
        private readonly Random _random = new(3);
        private bool _subgraph;
        private int _next;

        public static int InputLength => (int)InputShape.Aggregate(1L, (p, d) => p * d);

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
}
