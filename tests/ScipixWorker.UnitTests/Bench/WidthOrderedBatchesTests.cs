using ScipixWorker.Cli.Bench;

namespace ScipixWorker.UnitTests.Bench;

public sealed class WidthOrderedBatchesTests
{
    [Fact]
    public void Batches_group_lines_of_similar_width_and_hold_every_item_once_in_a_fixed_order()
    {
        int[] widths = [300, 60, 900, 120, 480, 90, 600, 240, 150, 720];
        var aspectRatios = widths.Select(w => w / 48.0).ToList();
        var items = widths.Select(w => $"line-{w}").ToList();

        var batches = OrtCeiling.WidthOrderedBatches(items, aspectRatios, 3);

        Assert.Equal([3, 3, 3, 1], batches.Select(b => b.Length).Order().Reverse());
        Assert.Equal(items.Order(), batches.SelectMany(b => b).Order());
        var ranges = batches.Select(b => (Min: b.Min(Width), Max: b.Max(Width))).OrderBy(r => r.Min).ToList();
        for (var i = 1; i < ranges.Count; i++)
        {
            Assert.True(ranges[i - 1].Max < ranges[i].Min, $"batches overlap in width: {string.Join(", ", ranges)}");
        }

        Assert.Equal(batches.Select(b => string.Join(',', b)), OrtCeiling.WidthOrderedBatches(items, aspectRatios, 3).Select(b => string.Join(',', b)));
    }

    private static int Width(string item) => int.Parse(item["line-".Length..], System.Globalization.CultureInfo.InvariantCulture);
}
