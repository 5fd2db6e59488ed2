using System.Numerics;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.UnitTests.Engine;

public sealed class ParagraphLayoutTests
{
    // Prose at 20 px lines, 24 px apart (4 px of leading), a 600 px measure from x 50.
    private const float Height = 20;
    private const float Pitch = 24;
    private const float Left = 50;
    private const float Measure = 600;

    [Fact]
    public void No_lines_make_no_paragraphs_and_one_line_makes_one_round_its_box()
    {
        Assert.Empty(ParagraphLayout.Find([]));

        var line = Line(80, 30, 300, 24, 40);
        var paragraph = Assert.Single(ParagraphLayout.Find([line]));

        Assert.Equal((0, 1), (paragraph.FirstLine, paragraph.LineCount));
        AssertClose(line.Box, paragraph.Box);
    }

    [Fact]
    public void Prose_whose_paragraphs_start_with_an_indent_and_no_space_between_them_splits_at_each_indent()
    {
        // Two paragraphs of four lines, the first line of each indented by two line heights, set at the same pitch.
        var lines = new List<RecognizedLine>();
        for (var p = 0; p < 2; p++)
        {
            lines.Add(Line(Left + 40, Row(lines.Count), Measure - 40, Height, 70));
            lines.Add(Line(Left, Row(lines.Count), Measure, Height, 75));
            lines.Add(Line(Left, Row(lines.Count), Measure, Height, 75));
            lines.Add(Line(Left, Row(lines.Count), 250, Height, 30));
        }

        Assert.Equal([(0, 4), (4, 4)], Runs(ParagraphLayout.Find(lines)));
    }

    [Fact]
    public void Block_paragraphs_split_at_a_blank_line_or_set_close_after_a_short_last_line()
    {
        var spaced = new List<RecognizedLine>();
        var close = new List<RecognizedLine>();
        foreach (var (lines, gap) in new[] { (spaced, 1.5f * Pitch), (close, 0f) })
        {
            for (var p = 0; p < 3; p++)
            {
                var top = (p * 3 * Pitch) + (p * gap);
                lines.Add(Line(Left, top, Measure, Height, 75));
                lines.Add(Line(Left, top + Pitch, Measure - 10, Height, 74));
                lines.Add(Line(Left, top + (2 * Pitch), 200, Height, 25));
            }
        }

        Assert.Equal([(0, 3), (3, 3), (6, 3)], Runs(ParagraphLayout.Find(spaced)));
        Assert.Equal([(0, 3), (3, 3), (6, 3)], Runs(ParagraphLayout.Find(close)));
    }

    [Fact]
    public void Lines_of_varying_length_set_at_one_pitch_stay_one_paragraph()
    {
        // Ragged lines (verse, a letter's closing, an address) end anywhere; none of them ends a paragraph by itself.
        float[] widths = [420, 560, 300, 610, 380, 500, 250];
        var lines = widths.Select((w, i) => Line(Left, Row(i), w, Height, (int)(w / 8))).ToList();

        Assert.Equal([(0, 7)], Runs(ParagraphLayout.Find(lines)));
    }

    [Fact]
    public void A_list_whose_items_hang_out_left_of_their_lines_splits_per_item()
    {
        // "1." at the margin, the item's text beside it and its next lines under the text (a hanging indent), no spacing.
        var lines = new List<RecognizedLine>();
        var row = 0;
        for (var item = 0; item < 3; item++)
        {
            lines.Add(Line(Left, Row(row), 16, Height, 2));
            lines.Add(Line(Left + 50, Row(row++), Measure - 50, Height, 72));
            lines.Add(Line(Left + 50, Row(row++), 240, Height, 30));
        }

        // Their labels read as no label ("wo"): the hanging indent alone splits them, and they are text.
        var paragraphs = ParagraphLayout.Find(lines);
        Assert.Equal([(0, 3), (3, 3), (6, 3)], Runs(paragraphs));
        Assert.All(paragraphs, p => Assert.Equal(ParagraphRole.Text, p.Role));
    }

    [Fact]
    public void Rows_that_start_with_a_number_or_a_bullet_are_list_items_whether_the_label_was_read_apart_or_with_its_text()
    {
        // Flush lists with no hanging indent and no spacing: "1." apart from its text, then "2. ..." read whole, then bullets.
        var lines = new List<RecognizedLine>
        {
            Labelled("1.", Left, 0, 16),
            Labelled("Switch the scanner off and open its cover.", Left + 30, 0, 400),
            Labelled("2. Wipe the glass from one edge to the other.", Left, 1, 430),
            Labelled("\u2022", Left, 2, 10),
            Labelled("Turn each roller by hand while you wipe it.", Left + 30, 2, 400),
            Labelled("A closing line of text that is not an item.", Left, 3, 430),
        };

        var paragraphs = ParagraphLayout.Find(lines);

        // The closing line starts level with the bullet, not under the item's text: the list has ended.
        Assert.Equal([(0, 2), (2, 1), (3, 2), (5, 1)], Runs(paragraphs));
        Assert.Equal([ParagraphRole.ListItem, ParagraphRole.ListItem, ParagraphRole.ListItem, ParagraphRole.Text], paragraphs.Select(p => p.Role));
    }

    [Fact]
    public void A_heading_at_twice_the_size_set_tight_over_its_text_is_a_paragraph_of_its_own()
    {
        var lines = new List<RecognizedLine> { Line(Left, 0, 400, 2 * Height, 24) };
        for (var i = 0; i < 4; i++)
        {
            lines.Add(Line(Left, (2 * Height) + 4 + (i * Pitch), Measure, Height, 75));
        }

        var paragraphs = ParagraphLayout.Find(lines);
        Assert.Equal([(0, 1), (1, 4)], Runs(paragraphs));
        Assert.Equal([ParagraphRole.Heading, ParagraphRole.Text], paragraphs.Select(p => p.Role));
    }

    [Fact]
    public void The_next_column_starts_a_paragraph_though_no_gap_or_indent_marks_it()
    {
        // Read column by column: the right column's first line lies above the left column's last.
        var lines = new List<RecognizedLine>();
        for (var column = 0; column < 2; column++)
        {
            for (var i = 0; i < 5; i++)
            {
                lines.Add(Line(Left + (column * 330), Row(i), 300, Height, 38));
            }
        }

        Assert.Equal([(0, 5), (5, 5)], Runs(ParagraphLayout.Find(lines)));
    }

    [Fact]
    public void A_centred_address_and_a_receipts_rows_of_items_and_prices_stay_together()
    {
        // A shop's name and address centred on x 300 (their left edges wander; no indent), then after a blank line its
        // items, each row an item and its price, set at the pitch of the address.
        float[] widths = [360, 120, 300, 160, 240];
        var lines = widths.Select((w, i) => Line(300 - (w / 2), Row(i), w, Height, (int)(w / 12))).ToList();
        for (var i = 0; i < 4; i++)
        {
            lines.Add(Line(40, Row(i + 6), 260, Height, 20));
            lines.Add(Line(480, Row(i + 6), 60, Height, 5));
        }

        Assert.Equal([(0, 5), (5, 8)], Runs(ParagraphLayout.Find(lines)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_page_read_turned_splits_as_the_same_page_upright_and_boxes_are_named_as_its_text_reads(int quarterTurns)
    {
        // The indented prose above, on a 700 x 400 page turned clockwise: its boxes' corners named as the text reads.
        var upright = new List<RecognizedLine>();
        for (var p = 0; p < 2; p++)
        {
            upright.Add(Line(Left + 40, Row(upright.Count), Measure - 40, Height, 70));
            upright.Add(Line(Left, Row(upright.Count), Measure, Height, 75));
            upright.Add(Line(Left, Row(upright.Count), 250, Height, 30));
        }

        var expected = ParagraphLayout.Find(upright);
        var turned = ParagraphLayout.Find(upright.Select(l => l with { Box = Turn(l.Box, quarterTurns) }).ToList());

        Assert.Equal(Runs(expected), Runs(turned));
        Assert.Equal([(0, 3), (3, 3)], Runs(turned));
        for (var p = 0; p < expected.Count; p++)
        {
            AssertClose(Turn(expected[p].Box, quarterTurns), turned[p].Box);
        }
    }

    [Fact]
    public void A_line_running_across_the_pages_text_is_a_paragraph_of_its_own()
    {
        // A label printed up the margin, between two lines of a paragraph in reading order.
        var lines = new List<RecognizedLine>
        {
            Line(Left, Row(0), Measure, Height, 75),
            new("SIDEWAYS", 0.9f, new Quad(new(10, 300), new(10, 100), new(30, 100), new(30, 300))),
            Line(Left, Row(1), Measure, Height, 75),
        };

        Assert.Equal([(0, 1), (1, 1), (2, 1)], Runs(ParagraphLayout.Find(lines)));
    }

    [Fact]
    public void A_skewed_page_is_measured_along_its_lines()
    {
        // The block paragraphs set close, turned 3 degrees: the short lines' right edges and the rows are measured along the text.
        var lines = new List<RecognizedLine>();
        for (var p = 0; p < 2; p++)
        {
            lines.Add(Line(Left, Row(lines.Count), Measure, Height, 75));
            lines.Add(Line(Left, Row(lines.Count), Measure - 8, Height, 74));
            lines.Add(Line(Left, Row(lines.Count), 200, Height, 25));
        }

        var skew = Matrix3x2.CreateRotation(3 * MathF.PI / 180);
        var skewed = lines.Select(l => l with
        {
            Box = new Quad(
                Vector2.Transform(l.Box.TopLeft, skew), Vector2.Transform(l.Box.TopRight, skew),
                Vector2.Transform(l.Box.BottomRight, skew), Vector2.Transform(l.Box.BottomLeft, skew)),
        }).ToList();

        Assert.Equal([(0, 3), (3, 3)], Runs(ParagraphLayout.Find(skewed)));
    }

    [Fact]
    public void A_list_item_read_with_its_number_goes_on_under_its_text_though_a_column_of_prose_would_take_that_for_an_indent()
    {
        // A paragraph of prose, then items whose number the detector read with the text, their next lines hanging under it.
        var lines = new List<RecognizedLine>
        {
            Labelled("A paragraph of prose that fills the measure from one side to the other.", Left, 0, Measure),
            Labelled("It ends on a line that fills the measure too, to the right edge.", Left, 1, Measure),
            Labelled("1. The first item of the list runs on for the whole width of the page", Left, 2, Measure),
            Labelled("and goes on under its text.", Left + 30, 3, 260),
            Labelled("2. The second item of the list runs on for the whole width of the page", Left, 4, Measure),
            Labelled("and goes on under its text too.", Left + 30, 5, 300),
        };

        var paragraphs = ParagraphLayout.Find(lines);

        Assert.Equal([(0, 2), (2, 2), (4, 2)], Runs(paragraphs));
        Assert.Equal([ParagraphRole.Text, ParagraphRole.ListItem, ParagraphRole.ListItem], paragraphs.Select(p => p.Role));
    }

    [Fact]
    public void A_paragraph_longer_than_the_rows_it_is_measured_by_still_ends_at_an_indent_and_a_list_item_at_its_label()
    {
        // 150 rows of prose, then an indented first line; a list item of 100 rows under its text, then the next item.
        var lines = new List<RecognizedLine>();
        for (var i = 0; i < 150; i++)
        {
            lines.Add(Line(Left, Row(i), Measure, Height, 75));
        }

        lines.Add(Line(Left + 40, Row(150), Measure - 40, Height, 70));
        lines.Add(Labelled("1.", Left, 151, 16));
        lines.Add(Line(Left + 50, Row(151), Measure - 50, Height, 70));
        for (var i = 152; i < 252; i++)
        {
            lines.Add(Line(Left + 50, Row(i), Measure - 50, Height, 70));
        }

        lines.Add(Labelled("2.", Left, 252, 16));
        lines.Add(Line(Left + 50, Row(252), Measure - 50, Height, 70));

        Assert.True(lines.Count > 2 * ParagraphLayout.MeasuredRows);
        Assert.Equal([(0, 150), (150, 1), (151, 102), (253, 2)], Runs(ParagraphLayout.Find(lines)));
    }

    [Fact]
    public void Any_lines_at_all_are_covered_once_in_order_with_finite_boxes_and_Markdown_holds_their_text()
    {
        // Random pages: boxes of any size, turn and place, empty text, zero-height and zero-width boxes, points, overlaps.
        var random = new Random(20261206);
        for (var trial = 0; trial < 500; trial++)
        {
            var lines = new List<RecognizedLine>();
            for (var i = random.Next(0, 40); i > 0; i--)
            {
                var (x, y) = (random.NextSingle() * 1000, random.NextSingle() * 1000);
                var (w, h) = (random.Next(4) == 0 ? 0 : random.NextSingle() * 500, random.Next(4) == 0 ? 0 : random.NextSingle() * 40);
                var box = Quad.FromRectangle(x, y, w, h);
                if (random.Next(3) == 0)
                {
                    var turn = System.Numerics.Matrix3x2.CreateRotation(random.NextSingle() * MathF.Tau, new System.Numerics.Vector2(x, y));
                    box = new Quad(
                        System.Numerics.Vector2.Transform(box.TopLeft, turn), System.Numerics.Vector2.Transform(box.TopRight, turn),
                        System.Numerics.Vector2.Transform(box.BottomRight, turn), System.Numerics.Vector2.Transform(box.BottomLeft, turn));
                }

                var text = random.Next(5) switch
                {
                    0 => string.Empty,
                    1 => "1.",
                    2 => "- item",
                    3 => "# not a heading",
                    _ => "words of a line " + i,
                };
                lines.Add(new RecognizedLine(text, 0.9f, box));
            }

            var paragraphs = ParagraphLayout.Find(lines);

            Assert.Equal(lines.Count, paragraphs.Sum(p => p.LineCount));
            Assert.Equal(Enumerable.Range(0, paragraphs.Count).Select(i => paragraphs.Take(i).Sum(p => p.LineCount)), paragraphs.Select(p => p.FirstLine));
            Assert.All(paragraphs, p =>
            {
                Assert.True(p.LineCount > 0);
                Assert.All(p.Box.ToArray(), v => Assert.True(float.IsFinite(v), $"trial {trial}: {p.Box}"));
            });
            var markdown = MarkdownWriter.Text(new OcrDocument([new OcrPage(1, 1000, 1000, lines, string.Empty, OcrTimings.Zero)]));
            Assert.All(lines.Where(l => l.Text.StartsWith("words", StringComparison.Ordinal)), l => Assert.Contains(l.Text, markdown, StringComparison.Ordinal));
        }
    }

    private static float Row(int index) => index * Pitch;

    private static RecognizedLine Labelled(string text, float x, int row, float width) => new(text, 0.95f, Quad.FromRectangle(x, Row(row), width, Height));

    private static RecognizedLine Line(float x, float y, float width, float height, int characters) =>
        new(string.Concat(Enumerable.Repeat("word ", (characters + 4) / 5))[..characters].Trim(), 0.95f, Quad.FromRectangle(x, y, width, height));

    private static List<(int, int)> Runs(IReadOnlyList<TextParagraph> paragraphs) => [.. paragraphs.Select(p => (p.FirstLine, p.LineCount))];

    // Clockwise quarter turns of a 700 x 400 page: the same corners, in the turned image's pixels.
    private static Quad Turn(Quad box, int quarterTurns)
    {
        Vector2 Point(Vector2 p)
        {
            var (width, height) = (700f, 400f);
            for (var t = 0; t < quarterTurns; t++)
            {
                (p, width, height) = (new Vector2(height - p.Y, p.X), height, width);
            }

            return p;
        }

        return new Quad(Point(box.TopLeft), Point(box.TopRight), Point(box.BottomRight), Point(box.BottomLeft));
    }

    private static void AssertClose(Quad expected, Quad actual)
    {
        for (var k = 0; k < 4; k++)
        {
            Assert.True(Vector2.Distance(expected[k], actual[k]) < 0.01f, $"corner {k}: expected {expected[k]}, got {actual[k]}");
        }
    }
}
