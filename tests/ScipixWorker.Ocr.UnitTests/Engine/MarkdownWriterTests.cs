using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.UnitTests.Engine;

public sealed class MarkdownWriterTests
{
    // Lines 20 px high, 24 px apart, a 600 px measure from x 50 (as ParagraphLayoutTests).
    private const float Height = 20;
    private const float Pitch = 24;

    [Fact]
    public void Running_text_flows_as_one_line_a_paragraph_with_hyphenated_words_joined_again_and_paragraphs_parted_by_a_blank_line()
    {
        var lines = new List<RecognizedLine>
        {
            Line("Optical character recognition turns images of text into sys-", 90, 0, 560),
            Line("tems that read the text again, and a well-", 50, 1, 600),
            Line("Known word keeps its hyphen before a capital letter.", 50, 2, 420),
            Line("A second paragraph starts with an indent like the first one.", 90, 3, 560),
            Line("It ends here.", 50, 4, 200),
        };

        var markdown = MarkdownWriter.Text(Document(Page(1, lines)));

        Assert.Equal(
            "Optical character recognition turns images of text into systems that read the text again, and a well- Known word keeps its hyphen before a capital letter.\n\n"
            + "A second paragraph starts with an indent like the first one. It ends here.\n",
            markdown);
    }

    [Fact]
    public void Rows_set_larger_become_headings_and_much_larger_a_title()
    {
        var lines = new List<RecognizedLine>
        {
            Line("Annual Report", 50, 0, 400, 2 * Height),
            Line("Results of the year", 50, 2.5f, 300, 1.3f * Height),
            Line("Sales rose in every region and costs fell in most of them this year.", 50, 4f, 600),
            Line("The board proposes a dividend of the same size as last year's one.", 50, 5f, 600),
            Line("More on that below.", 50, 6f, 200),
        };

        var markdown = MarkdownWriter.Text(Document(Page(1, lines)));

        Assert.StartsWith("# Annual Report\n\n## Results of the year\n\nSales rose", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void List_items_become_Markdown_list_items_with_their_rows_flowing()
    {
        var lines = new List<RecognizedLine>
        {
            Line("1.", 50, 0, 16),
            Line("Switch the scanner off and open the cover that hides the", 100, 0, 550),
            Line("glass.", 100, 1, 60),
            Line("2)", 50, 2, 16),
            Line("Wipe the glass from one edge to the other with the cloth.", 100, 2, 550),
            Line("\u2022", 50, 3, 10),
            Line("Turn each roller by hand while you wipe it, until it is clean.", 100, 3, 550),
            Line("a)", 50, 4, 16),
            Line("Scan a blank white sheet afterwards to see what is left of it.", 100, 4, 550),
        };

        var markdown = MarkdownWriter.Text(Document(Page(1, lines)));

        Assert.Equal(
            "1. Switch the scanner off and open the cover that hides the glass.\n\n"
            + "2. Wipe the glass from one edge to the other with the cloth.\n\n"
            + "- Turn each roller by hand while you wipe it, until it is clean.\n\n"
            + "a) Scan a blank white sheet afterwards to see what is left of it.\n",
            markdown);
    }

    [Fact]
    public void A_receipts_rows_stay_rows_each_ended_by_a_hard_break_and_block_syntax_in_the_text_is_escaped()
    {
        // Items and their prices far apart: not running text.
        var lines = new List<RecognizedLine>
        {
            Line("# 2 KOPI O", 40, 0, 200),
            Line("2.40", 480, 0, 60),
            Line("- DISCOUNT", 40, 1, 200),
            Line("-0.40", 480, 1, 60),
            Line("= TOTAL", 40, 2, 200),
            Line("2.00", 480, 2, 60),
            Line("3.", 40, 3, 20),
        };

        var markdown = MarkdownWriter.Text(Document(Page(1, lines)));

        Assert.Equal("\\# 2 KOPI O 2.40  \n\\- DISCOUNT -0.40  \n\\= TOTAL 2.00  \n3\\.\n", markdown);
    }

    [Fact]
    public void Pages_are_marked_where_a_document_has_more_than_one_or_starts_past_the_first()
    {
        var one = Page(1, [Line("The first page of the document.", 50, 0, 300)]);
        var two = Page(2, [Line("The second page of the document.", 50, 0, 300)]);

        Assert.Equal("The first page of the document.\n", MarkdownWriter.Text(Document(one)));
        Assert.Equal("<!-- page 1 -->\n\nThe first page of the document.\n\n<!-- page 2 -->\n\nThe second page of the document.\n", MarkdownWriter.Text(Document(one, two)));
        Assert.Equal("<!-- page 2 -->\n\nThe second page of the document.\n", MarkdownWriter.Text(Document(two)));
        Assert.Equal(string.Empty, MarkdownWriter.Text(Document()));
        Assert.Equal("<!-- page 1 -->\n\n<!-- page 2 -->\n", MarkdownWriter.Text(Document(Page(1, []), Page(2, [Line("  ", 50, 0, 10)]))));
    }

    private static RecognizedLine Line(string text, float x, float row, float width, float height = Height) =>
        new(text, 0.95f, Quad.FromRectangle(x, row * Pitch, width, height));

    private static OcrPage Page(int number, List<RecognizedLine> lines) =>
        new(number, 700, 900, lines, string.Join('\n', lines.Select(l => l.Text)), OcrTimings.Zero);

    private static OcrDocument Document(params OcrPage[] pages) => new(pages);
}
