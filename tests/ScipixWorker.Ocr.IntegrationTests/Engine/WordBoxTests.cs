using System.Globalization;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.IntegrationTests.Support;
using SkiaSharp;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>Each line's words and where they are: on text drawn where the test knows each word's ink, and on a real scan.</summary>
[Collection(EngineCollection.Name)]
public sealed class WordBoxTests(EngineFixture fixture)
{
    private const float Size = 32;

    // Pixels a word's box may be off its drawn ink at this size: an eighth of the text's height (antialiased edges lighter
    // than the ink threshold, and the detector's box cutting into a first or last glyph).
    private const float Tolerance = 4;

    private static readonly (string Text, float X, float Y)[] PageLines =
    [
        ("Invoice 20817 from Northwind", 40, 40),
        ("Total due: 1,245.50 EUR", 40, 140),
        ("Payment within 30 days", 60, 240),
    ];

    private OcrDocument Read(byte[] image, OcrMode mode = OcrMode.Full) =>
        fixture.Engine.Recognize(image, mode, TestContext.Current.CancellationToken);

    // The ink's left and right edge of each word of a line drawn at (x, y) by TextImages.Render.
    private static List<(string Word, float Left, float Right)> DrawnWords(string text, float x)
    {
        using var font = new SKFont(SKTypeface.FromFile(Fixtures.Path("fonts", "DejaVuSans.ttf")), Size);
        var words = new List<(string, float, float)>();
        var start = 0;
        foreach (var word in text.Split(' '))
        {
            var origin = x + font.MeasureText(text[..start]);
            font.MeasureText(word, out var ink);
            words.Add((word, origin + ink.Left, origin + ink.Right));
            start += word.Length + 1;
        }

        return words;
    }

    [Fact]
    public void Words_on_a_rendered_page_are_boxed_where_their_ink_was_drawn()
    {
        using var bitmap = TextImages.Render(900, 330, PageLines);

        var page = Assert.Single(Read(TextImages.Encode(bitmap)).Pages);

        Assert.Equal(PageLines.Length, page.Lines.Count);
        var compared = 0;
        for (var i = 0; i < PageLines.Length; i++)
        {
            var line = page.Lines[i];
            Assert.Equal(line.Text, string.Join(' ', line.Words.Select(w => w.Text)));
            foreach (var (word, left, right) in DrawnWords(PageLines[i].Text, PageLines[i].X))
            {
                var found = line.Words.Where(w => w.Text == word).ToList();
                if (found.Count != 1)
                {
                    continue; // misread; the others tell where the words are
                }

                var box = found[0].Box;
                Assert.True(Math.Abs(box.MinX - left) <= Tolerance && Math.Abs(box.MaxX - right) <= Tolerance,
                    $"'{word}': drawn {left:F1}-{right:F1}, boxed {box.MinX:F1}-{box.MaxX:F1}");
                Assert.True(box.MinY >= line.Box.MinY - 0.5f && box.MaxY <= line.Box.MaxY + 0.5f, $"'{word}' {box} outside its line {line.Box}");
                compared++;
            }
        }

        Assert.True(compared >= 10, $"only {compared} of 13 words read right");
    }

    [Fact]
    public void Words_on_a_page_scanned_upside_down_are_boxed_there_with_their_corners_named_as_they_read()
    {
        using var bitmap = TextImages.Render(900, 330, PageLines);
        using var turned = TextImages.Rotate180(bitmap);

        var page = Assert.Single(Read(TextImages.Encode(turned)).Pages);

        Assert.Equal(180, page.Rotation);
        var compared = 0;
        for (var i = 0; i < PageLines.Length; i++)
        {
            foreach (var (word, left, right) in DrawnWords(PageLines[i].Text, PageLines[i].X))
            {
                var found = page.Lines[i].Words.Where(w => w.Text == word).ToList();
                if (found.Count != 1)
                {
                    continue;
                }

                // Half a turn: the drawn word's columns lie mirrored, and the box's top-left corner (as read) is the
                // image's bottom right of the word.
                var box = found[0].Box;
                Assert.True(Math.Abs(box.MinX - (900 - right)) <= Tolerance && Math.Abs(box.MaxX - (900 - left)) <= Tolerance,
                    $"'{word}': drawn {900 - right:F1}-{900 - left:F1}, boxed {box.MinX:F1}-{box.MaxX:F1}");
                Assert.True(box.TopLeft.X > box.TopRight.X && box.TopLeft.Y > box.BottomLeft.Y, $"'{word}': {box}");
                compared++;
            }
        }

        Assert.True(compared >= 10, $"only {compared} of 13 words read right");
    }

    [Fact]
    public void Words_on_a_receipt_scan_lie_in_the_boxes_its_annotators_drew_round_them()
    {
        var page = Assert.Single(Read(Fixtures.Bytes("sroie", "receipt_000.jpg")).Pages);
        var annotated = File.ReadAllLines(Fixtures.Path("sroie", "receipt_000.boxes.csv"))
            .Select(row => row.Split(','))
            .Where(cells => cells.Length >= 9)
            .Select(cells => (
                Box: new Quad(Point(cells, 0), Point(cells, 2), Point(cells, 4), Point(cells, 6)),
                Words: string.Join(',', cells[8..]).ToUpperInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .ToList();

        int matched = 0, inside = 0;
        var overlaps = new List<double>();
        foreach (var word in page.Lines.SelectMany(l => l.Words))
        {
            var text = word.Text.ToUpperInvariant();
            var boxes = annotated.Where(a => a.Words.Contains(text)).ToList();
            if (text.Length < 2 || boxes.Count != 1)
            {
                continue; // a misread, or a word the annotators wrote in several places
            }

            matched++;
            var (box, words) = boxes[0];
            var (x, y) = ((word.Box.MinX + word.Box.MaxX) / 2, (word.Box.MinY + word.Box.MaxY) / 2);
            // Centred in the annotated box, and no wider than it: a word is part of what the annotators boxed.
            inside += x >= box.MinX - 2 && x <= box.MaxX + 2 && y >= box.MinY - 2 && y <= box.MaxY + 2
                && word.Box.MaxX - word.Box.MinX <= box.MaxX - box.MinX + 4 ? 1 : 0;
            if (words.Length == 1)
            {
                overlaps.Add(IntersectionOverUnion(word.Box, box));
            }
        }

        Assert.True(matched >= 40, $"only {matched} words matched an annotated box");
        Assert.True(inside >= 0.9 * matched, $"{inside} of {matched} words centred in their annotated box and no wider");
        Assert.True(overlaps.Count >= 8 && overlaps.Average() >= 0.6, $"IoU with boxes of one word: {string.Join(", ", overlaps.Select(o => o.ToString("F2", CultureInfo.InvariantCulture)))}");
    }

    [Fact]
    public void The_words_of_every_line_spell_its_text_in_order_and_stay_inside_its_box()
    {
        var page = Assert.Single(Read(Fixtures.Bytes("sroie", "receipt_000.jpg")).Pages);

        foreach (var line in page.Lines)
        {
            // Han characters are words of their own (the receipt's footer is Chinese), so the words spell the text without its spaces.
            Assert.Equal(line.Text.Replace(" ", string.Empty, StringComparison.Ordinal), string.Concat(line.Words.Select(w => w.Text)));
            Assert.All(line.Words, w => Assert.DoesNotContain(' ', w.Text));
            Assert.All(line.Words, w => Assert.InRange(w.Confidence, 0f, 1f));
            for (var k = 0; k < line.Words.Count; k++)
            {
                var box = line.Words[k].Box;
                Assert.True(box.MinX >= line.Box.MinX - 0.5f && box.MaxX <= line.Box.MaxX + 0.5f, $"'{line.Words[k].Text}' outside '{line.Text}'");
                Assert.True(k == 0 || box.MinX >= line.Words[k - 1].Box.MinX, $"'{line.Words[k].Text}' before the word ahead of it in '{line.Text}'");
            }
        }
    }

    [Fact]
    public void A_single_line_job_has_its_words_along_the_image()
    {
        const string text = "Quarterly report 2026";
        using var bitmap = TextImages.Line(text);

        var line = Assert.Single(Assert.Single(Read(TextImages.Encode(bitmap), OcrMode.SingleLine).Pages).Lines);

        Assert.Equal(["Quarterly", "report", "2026"], line.Words.Select(w => w.Text));
        foreach (var ((_, left, right), word) in DrawnWords(text, Size * 0.3f).Zip(line.Words))
        {
            Assert.True(Math.Abs(word.Box.MinX - left) <= Tolerance && Math.Abs(word.Box.MaxX - right) <= Tolerance,
                $"'{word.Text}': drawn {left:F1}-{right:F1}, boxed {word.Box.MinX:F1}-{word.Box.MaxX:F1}");
            Assert.Equal((0f, bitmap.Height), (word.Box.MinY, word.Box.MaxY));
        }
    }

    [Fact]
    public void Words_of_a_born_digital_page_are_where_the_file_draws_them()
    {
        var page = Read(Fixtures.Bytes("pdf", "digital_report.pdf")).Pages[0];

        Assert.NotEmpty(page.Lines);
        foreach (var line in page.Lines)
        {
            Assert.Equal(line.Text, string.Join(' ', line.Words.Select(w => w.Text)));
            Assert.All(line.Words, w => Assert.Equal(1f, w.Confidence));
            Assert.All(line.Words, w => Assert.True(w.Box.MinX >= line.Box.MinX - 0.5f && w.Box.MaxX <= line.Box.MaxX + 0.5f, $"'{w.Text}' outside '{line.Text}'"));
        }
    }

    private static System.Numerics.Vector2 Point(string[] cells, int at) =>
        new(float.Parse(cells[at], CultureInfo.InvariantCulture), float.Parse(cells[at + 1], CultureInfo.InvariantCulture));

    private static double IntersectionOverUnion(Quad a, Quad b)
    {
        var width = Math.Max(0, Math.Min(a.MaxX, b.MaxX) - Math.Max(a.MinX, b.MinX));
        var height = Math.Max(0, Math.Min(a.MaxY, b.MaxY) - Math.Max(a.MinY, b.MinY));
        var intersection = width * height;
        var union = ((a.MaxX - a.MinX) * (a.MaxY - a.MinY)) + ((b.MaxX - b.MinX) * (b.MaxY - b.MinY)) - intersection;
        return union > 0 ? intersection / union : 0;
    }
}
