using ScipixWorker.Ocr.Imaging;
using UglyToad.PdfPig.Core;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

/// <summary>
/// Bitmap glyphs traced into polygons (<see cref="PdfType3Glyphs.Trace"/>), and which Type 3 fonts are taken for text
/// whose names are not its text (<see cref="PdfUnmappedGlyphs.NamedAsDingbats"/>).
/// </summary>
public sealed class PdfType3GlyphsTests
{
    // A mask from rows of '#' (paints) and '.' (does not), the first row at the top.
    private static PdfType3Glyphs.PixelMask Mask(params string[] rows) =>
        new(rows[0].Length, rows.Length, [.. rows.SelectMany(r => r.Select(c => c == '#'))]);

    // The area a closed polygon encloses, signed by its direction (the shoelace formula).
    private static double Area(PdfSubpath path)
    {
        var points = path.Commands.Select(c => c switch
        {
            PdfSubpath.Move m => m.Location,
            PdfSubpath.Line l => l.To,
            _ => (PdfPoint?)null,
        }).OfType<PdfPoint>().ToList();
        var twice = 0.0;
        for (var i = 0; i < points.Count; i++)
        {
            var (a, b) = (points[i], points[(i + 1) % points.Count]);
            twice += (a.X * b.Y) - (b.X * a.Y);
        }

        return twice / 2;
    }

    private sealed class Tolerance(double within) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= within;

        public int GetHashCode(double obj) => 0;
    }

    private static int Corners(PdfSubpath path) => path.Commands.Count(c => c is PdfSubpath.Move or PdfSubpath.Line);

    [Fact]
    public void A_block_of_pixels_is_one_rectangle_through_its_four_corners()
    {
        var loop = Assert.Single(PdfType3Glyphs.Trace(Mask("...", ".##", ".##"), TransformationMatrix.Identity)!);

        Assert.Equal(4, Corners(loop));
        Assert.Equal(4.0 / 9, Math.Abs(Area(loop)), 9); // in the unit square: 4 of 9 pixels
        var box = loop.GetBoundingRectangle()!.Value;
        Assert.Equal([1.0 / 3, 0, 1, 2.0 / 3], [box.Left, box.Bottom, box.Right, box.Top], new Tolerance(1e-9)); // row 0 at the top
    }

    [Fact]
    public void A_ring_is_its_outside_one_way_round_and_its_hole_the_other()
    {
        var loops = PdfType3Glyphs.Trace(Mask("####", "#..#", "#..#", "####"), TransformationMatrix.Identity)!;

        Assert.Equal(2, loops.Count);
        var areas = loops.Select(Area).OrderBy(Math.Abs).ToList();
        Assert.Equal(4.0 / 16, Math.Abs(areas[0]), 9);
        Assert.Equal(1.0, Math.Abs(areas[1]), 9);
        Assert.True(Math.Sign(areas[0]) != Math.Sign(areas[1]), "the hole runs the other way: it stays empty under the nonzero rule");
        Assert.Equal(12.0 / 16, Math.Abs(areas.Sum()), 9); // the painted pixels
    }

    [Fact]
    public void Pixels_touching_at_a_corner_and_an_l_shape_enclose_just_their_pixels()
    {
        var diagonal = PdfType3Glyphs.Trace(Mask("#.", ".#"), TransformationMatrix.Identity)!;
        var shape = PdfType3Glyphs.Trace(Mask("#..", "#..", "###"), TransformationMatrix.Identity)!;

        Assert.Equal(2.0 / 4, Math.Abs(diagonal.Sum(Area)), 9);
        Assert.All(diagonal, l => Assert.Equal(4, Corners(l)));
        var l = Assert.Single(shape);
        Assert.Equal(6, Corners(l));
        Assert.Equal(5.0 / 9, Math.Abs(Area(l)), 9);
    }

    [Fact]
    public void The_procedures_transform_places_the_image()
    {
        // A 10 x 20 unit glyph image at (3, -2) in glyph space, as a procedure's "10 0 0 20 3 -2 cm" places it.
        var loop = Assert.Single(PdfType3Glyphs.Trace(Mask("##", "##"), TransformationMatrix.FromValues(10, 0, 0, 20, 3, -2))!);

        var box = loop.GetBoundingRectangle()!.Value;
        Assert.Equal([3, -2, 13, 18], [box.Left, box.Bottom, box.Right, box.Top], new Tolerance(1e-9));
    }

    [Fact]
    public void A_mask_of_more_polygons_than_a_letter_has_is_not_traced()
    {
        // A checkerboard (a halftone, noise): one polygon a painted pixel; 1,000 are traced, 1,058 are not.
        static string Row(int y, int width) => string.Concat(Enumerable.Range(0, width).Select(x => (x + y) % 2 == 0 ? '#' : '.'));
        var fits = Mask([.. Enumerable.Range(0, 40).Select(y => Row(y, 50))]);
        var past = Mask([.. Enumerable.Range(0, 46).Select(y => Row(y, 46))]);

        Assert.Equal(PdfType3Glyphs.MaxLoops, PdfType3Glyphs.Trace(fits, TransformationMatrix.Identity)!.Count);
        Assert.Null(PdfType3Glyphs.Trace(past, TransformationMatrix.Identity)!);
    }

    [Fact]
    public void A_pages_budget_of_mask_pixels_runs_out_and_stays_out()
    {
        var budget = new PdfType3Glyphs.TraceBudget(1000);

        Assert.True(budget.Take(600));
        Assert.False(budget.Take(500)); // past what is left: refused, and nothing more is given
        Assert.False(budget.Take(1));
    }

    // Letters as a Type 3 font's map reads them: each text with the code it was drawn with ('t' with 116: its own).
    private static (string, int?)[] Letters(string texts, string codes) =>
        [.. texts.Split('|').Zip(codes.Split('|'), (t, c) => (t, (int?)int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)))];

    [Theory]
    [InlineData("■|♥|✈|♦|✐|❝|❡| |t|❤|r|❡|❡", "73|110|118|111|105|99|101|32|116|104|114|101|101")] // "Invoice three": a116 is no Zapf Dingbats name
    [InlineData("P|r|♦|♦|❢", "80|114|111|111|102")] // "Proof" in a bold font of its own: two kinds of dingbat
    public void Text_read_as_dingbats_and_its_own_codes_is_taken_for_names_that_are_not_text(string texts, string codes)
    {
        Assert.True(PdfUnmappedGlyphs.NamedAsDingbats(Letters(texts, codes)));
    }

    [Theory]
    [InlineData("✓|✓|✓|✓", "51|51|51|51")] // a font of check marks: one symbol
    [InlineData("T|o|t|a|l|→|1|2", "84|111|116|97|108|1|49|50")] // a label with an arrow in it
    [InlineData("A|→|←|B", "66|1|2|67")] // letters its map names apart from their codes (a custom encoding): the map is the font's
    public void Symbols_in_a_font_whose_map_names_its_text_are_left_as_they_read(string texts, string codes)
    {
        Assert.False(PdfUnmappedGlyphs.NamedAsDingbats(Letters(texts, codes)));
    }
}
