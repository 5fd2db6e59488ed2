using Microsoft.ML.OnnxRuntime;
using ScipixWorker.Ocr.Engine.Graph;
using ScipixWorker.Ocr.Precision;
using ScipixWorker.Ocr.UnitTests.Engine;

namespace ScipixWorker.Ocr.UnitTests.Precision;

public sealed class Int8QuantizerTests
{
    [Fact]
    public void Weights_get_one_symmetric_scale_per_output_channel_and_round_to_within_half_a_step()
    {
        float[] weights = [0.5f, -0.25f, 0.1f, 0f, /* channel 1 */ -2f, 1f, 0.3f, 0.01f, /* channel 2 */ 0f, 0f, 0f, 0f];

        var (values, scales) = Int8Quantizer.QuantizeWeights(weights, channels: 3, max: 63);

        Assert.Equal([0.5f / 63, 2f / 63, 1f], scales);
        Assert.Equal(63, values[0]);
        Assert.Equal(-63, values[4]);
        Assert.All(values, v => Assert.InRange(v, -63, 63));
        for (var i = 0; i < weights.Length; i++)
        {
            Assert.InRange(Math.Abs((values[i] * scales[i / 4]) - weights[i]), 0, (scales[i / 4] / 2) + 1e-7);
        }
    }

    [Fact]
    public void A_bias_is_stored_on_the_product_of_the_input_and_weight_scales()
    {
        var (values, scales) = Int8Quantizer.QuantizeBias([0.3f, -1.2f], inputScale: 0.02f, weightScales: [0.01f, 0.5f]);

        Assert.Equal(0.0002f, scales[0], 1e-9f);
        Assert.Equal(0.01f, scales[1], 1e-9f);
        Assert.Equal([1500, -120], values);
    }

    [Theory]
    [InlineData(-1f, 3f, 4f / 255, 64)]
    [InlineData(2f, 5f, 5f / 255, 0)] // widened down to 0: zero padding stays exact
    [InlineData(-6f, -1f, 6f / 255, 255)]
    [InlineData(0f, 0f, 1f, 0)] // nothing to cover
    public void Activation_ranges_become_uint8_parameters_that_hold_zero_exactly(float min, float max, float scale, int zeroPoint)
    {
        var (s, z) = new ValueRange(min, max).UInt8();

        Assert.Equal(scale, s, 1e-6f);
        Assert.Equal(zeroPoint, z);
    }

    [Fact]
    public void Min_max_keeps_every_value_and_a_percentile_lets_a_rare_outlier_go()
    {
        var values = Enumerable.Range(0, 100_000).Select(i => (i / 50_000f) - 1f).Append(1_000f).ToArray();
        var minMax = new Calibration(["v"]);
        var percentile = new Calibration(["v"], 99.9) { PerRun = 200_000 };
        minMax.Observe("v", values);
        percentile.Observe("v", values);

        Assert.Equal(new ValueRange(-1f, 1_000f), minMax.Ranges()["v"]);
        var trimmed = percentile.Ranges()["v"];
        Assert.InRange(trimmed.Min, -1f, -0.99f);
        Assert.InRange(trimmed.Max, 0.99f, 1f);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Calibration(["v"], 50));
    }

    [Fact]
    public void A_PP_LCNet_block_runs_as_integer_convolutions_close_to_FP32()
    {
        // Conv 3x3 -> HardSwish (as the engine simplifies it) -> Conv 1x1, and a Slice at opset 9 (attributes, not inputs).
        var model = new TinyModel(opset: 9);
        var x = model.Conv("x", model.Weights(4, 2, 3, 3), model.Bias(4), pads: 1);
        x = model.Node("Mul", [x, model.Node("HardSigmoid", [x], attributes: [OnnxNode.FloatAttribute("alpha", 1f / 6), OnnxNode.FloatAttribute("beta", 0.5f)])]);
        x = model.Conv(x, model.Weights(3, 4, 1, 1), bias: null, pads: 0);
        model.Node("Slice", [x], "y", attributes: [Ints("axes", 1), Ints("starts", 1), Ints("ends", 3)]);
        var original = model.ToArray(outputChannels: 2);

        var settings = new Int8Settings();
        var values = Int8Quantizer.ValuesToCalibrate(original, settings);
        Assert.Equal(4, values.Count); // two convolutions' inputs and outputs
        var calibration = new Calibration(values);
        using (var session = new InferenceSession(Int8Quantizer.WithOutputs(original, values)))
        {
            for (var seed = 0; seed < 8; seed++)
            {
                calibration.Run(session, Input(seed), TinyModel.InputShape);
            }
        }

        var (quantized, report) = Int8Quantizer.Quantize(original, calibration.Ranges(), settings);

        Assert.Equal(new Int8Report(2, 0, 4), report);
        var graph = OnnxGraph.Parse(quantized);
        Assert.Equal(10, graph.Opset(string.Empty));
        Assert.Equal(1, graph.Opset(Int8Quantizer.ContribDomain));
        Assert.Equal(4, graph.Nodes.Count(n => n.OpType == "QuantizeLinear" && n.Domain == Int8Quantizer.ContribDomain));
        Assert.DoesNotContain(graph.Nodes, n => n.OpType == "Slice" && n.Attribute("starts") is not null);
        Assert.Equal(2, Int8Quantizer.OpTypesAsRun(quantized).Count(o => o == "QLinearConv"));
        Assert.DoesNotContain("Conv", Int8Quantizer.OpTypesAsRun(quantized));

        var input = Input(99);
        var expected = TinyModel.Run(original, input, ["y"]);
        var actual = TinyModel.Run(quantized, input, ["y"]);
        var scale = expected.Max(Math.Abs);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.InRange(worst, 1e-6f, 0.05f * scale); // quantized (not the same floats), within 5 % of the output's range
    }

    [Fact]
    public void A_convolution_left_in_FP32_by_the_settings_or_without_a_range_is_kept()
    {
        var model = new TinyModel(opset: 11);
        var first = model.Conv("x", model.Weights(3, 2, 3, 3), model.Bias(3), pads: 1);
        model.Conv(first, model.Weights(2, 3, 1, 1), model.Bias(2), pads: 0, output: "y");
        var original = model.ToArray(outputChannels: 2);
        var ranges = new Dictionary<string, ValueRange> { ["x"] = new(-4, 4), [first] = new(-3, 3) };

        var (skipped, report) = Int8Quantizer.Quantize(original, ranges, new Int8Settings(SkipFirst: 1));
        var (_, unranged) = Int8Quantizer.Quantize(original, new Dictionary<string, ValueRange> { ["x"] = new(-4, 4) }, new Int8Settings());

        // The second convolution writes the graph's output: never quantized (its output would need a range and a
        // QuantizeLinear the graph's reader does not expect). The first is skipped, or has no range for its output.
        Assert.Equal(new Int8Report(0, 2, 0), report);
        Assert.Same(original, skipped);
        Assert.Equal(new Int8Report(0, 2, 0), unranged);
    }

    [Fact]
    public void A_model_whose_operators_changed_meaning_at_opset_10_is_not_raised()
    {
        var model = new TinyModel(opset: 9);
        model.Node("Upsample", ["x", "scales"], "y");
        var graph = OnnxGraph.Parse(model.ToArray(outputChannels: 2));

        Assert.Throws<NotSupportedException>(() => Int8Quantizer.RaiseToOpset10(graph));
    }

    private static float[] Input(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, TinyModel.InputLength).Select(_ => (float)((random.NextDouble() * 8) - 4)).ToArray();
    }

    private static ProtoMessage Ints(string name, params long[] values)
    {
        var attribute = new ProtoMessage();
        attribute.Fields.Add(ProtoField.OfString(1, name));
        attribute.Fields.AddRange(values.Select(v => ProtoField.OfVarint(8, v)));
        attribute.Fields.Add(ProtoField.OfVarint(20, 7)); // INTS
        return attribute;
    }
}
