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
        var expected = TinyModel.Run(original, input, outputs);
        var actual = TinyModel.Run(simplified, input, outputs);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * Math.Max(1f, Math.Abs(expected[i])), $"output {i}: {expected[i]} against {actual[i]}");
        }
    }
}
