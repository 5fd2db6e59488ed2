using System.Numerics;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.UnitTests.Geometry;

public sealed class QuadSliceTests
{
    [Fact]
    public void A_slice_of_an_upright_box_is_the_columns_between_the_fractions()
    {
        var slice = Quad.FromRectangle(100, 20, 200, 30).Slice(0.25f, 0.5f);

        Assert.Equal(new Quad(new(150, 20), new(200, 20), new(200, 50), new(150, 50)), slice);
    }

    [Fact]
    public void A_slice_follows_the_text_as_it_reads_in_a_box_upside_down()
    {
        // Text upside down in the image: it reads right to left, its top edge at the image's bottom.
        var box = Quad.FromRectangle(100, 20, 200, 30).UpsideDown();

        var slice = box.Slice(0, 0.1f);

        Assert.Equal(new Vector2(300, 50), slice.TopLeft);
        Assert.Equal(new Vector2(280, 50), slice.TopRight);
        Assert.Equal(new Vector2(280, 20), slice.BottomRight);
        Assert.Equal(new Vector2(300, 20), slice.BottomLeft);
    }

    [Fact]
    public void A_slice_of_a_skewed_box_cuts_its_top_and_bottom_edges_at_the_same_fractions()
    {
        var box = new Quad(new(0, 10), new(100, 0), new(104, 40), new(4, 50));

        var slice = box.Slice(0.5f, 1f);

        Assert.Equal(new Quad(new(50, 5), new(100, 0), new(104, 40), new(54, 45)), slice);
        Assert.Equal(box, box.Slice(0, 1));
    }

    [Fact]
    public void Corners_can_be_given_rounded_for_a_result()
    {
        var quad = new Quad(new(1.04f, 2.06f), new(10.449f, 2f), new(10.46f, 8.96f), new(1f, 9.01f));

        Assert.Equal([1f, 2.1f, 10.4f, 2f, 10.5f, 9f, 1f, 9f], quad.ToArray(1));
        Assert.Equal(quad.ToArray(), quad.ToArray(6));
    }
}
