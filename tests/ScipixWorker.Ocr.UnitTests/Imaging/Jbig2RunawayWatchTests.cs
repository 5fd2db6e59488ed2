using System.Text;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

/// <summary><see cref="Jbig2RunawayWatch"/> on jbig2dec 0.19's debug messages, as its symbol dictionary decoder words them.</summary>
public sealed class Jbig2RunawayWatchTests
{
    private static string? Observe(Jbig2RunawayWatch watch, string message) => watch.Observe(Encoding.ASCII.GetBytes(message));

    [Fact]
    public void Height_classes_up_to_the_pages_longer_side_pass_and_a_taller_one_is_a_runaway()
    {
        var watch = new Jbig2RunawayWatch(2481, 5000);

        Assert.Null(Observe(watch, "decoding height class 12 with 0 syms decoded"));
        Assert.Null(Observe(watch, "decoding height class 5000 with 40 syms decoded"));
        Assert.Equal("its symbol dictionary opened 3 height classes, the last 5001 pixels tall: a runaway decode, stopped",
            Observe(watch, "decoding height class 5001 with 40 syms decoded"));
    }

    [Fact]
    public void On_a_small_page_symbols_up_to_4096_pixels_tall_pass_as_a_shared_dictionary_may_hold()
    {
        var watch = new Jbig2RunawayWatch(235, 33);

        Assert.Null(Observe(watch, "decoding height class 4096 with 2 syms decoded"));
        Assert.NotNull(Observe(watch, "decoding height class 4097 with 2 syms decoded"));
    }

    [Fact]
    public void More_height_classes_than_any_dictionary_has_are_a_runaway_even_where_the_height_stands_still()
    {
        // Garbage that adds 0 to the height each time: the class never grows, the loop never ends.
        var watch = new Jbig2RunawayWatch(463, 1013);
        for (var i = 0; i < Jbig2RunawayWatch.MaxHeightClasses; i++)
        {
            Assert.Null(Observe(watch, "decoding height class 40 with 3 syms decoded"));
        }

        Assert.StartsWith("its symbol dictionary opened 65537 height classes, the last 40 pixels tall",
            Observe(watch, "decoding height class 40 with 3 syms decoded"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_aggregate_symbol_claiming_more_placements_than_the_page_has_pixels_is_a_runaway()
    {
        var watch = new Jbig2RunawayWatch(463, 1013);

        Assert.Null(Observe(watch, "aggregate symbol coding (2 instances)"));
        Assert.Null(Observe(watch, "aggregate symbol coding (469019 instances)"));
        Assert.Equal("an aggregate symbol of its dictionary claims 469020 placements: a runaway decode, stopped",
            Observe(watch, "aggregate symbol coding (469020 instances)"));
    }

    [Fact]
    public void Other_messages_and_numbers_past_any_size_are_read_safely()
    {
        var watch = new Jbig2RunawayWatch(463, 1013);

        Assert.Null(Observe(watch, "segment 0 is associated with page 0"));
        Assert.Null(Observe(watch, "OOB when decoding DW signals end of height class 99999"));
        Assert.Null(Observe(watch, "decoding height class "));
        Assert.Null(Observe(watch, ""));
        Assert.NotNull(Observe(watch, "decoding height class 99999999999999999999999999999 with 0 syms decoded"));
        Assert.Equal(2, watch.HeightClasses);
    }
}
