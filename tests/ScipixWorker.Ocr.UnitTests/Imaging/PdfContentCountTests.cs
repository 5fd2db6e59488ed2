using System.Text;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

public sealed class PdfContentCountTests
{
    private static readonly PageContent NoLimit = new(long.MaxValue - 1, long.MaxValue - 1);

    private static PageContent Scan(string content, Func<string, PageContent>? drawn = null, PageContent? limit = null) =>
        PdfContentCount.Scan(Encoding.Latin1.GetBytes(content), drawn ?? (_ => default), limit ?? NoLimit);

    [Theory]
    [InlineData("BT /F1 12 Tf 50 700 Td (Invoice 20817) Tj ET", 13, 5)]
    [InlineData("BT [(Inv) -20 (oice)] TJ ET", 7, 3)] // TJ arrays: the strings, not the numbers
    [InlineData("BT (a(b)c\\)d) Tj ET", 7, 3)] // balanced parentheses nest; an escaped one is a character
    [InlineData("BT <48656C6C6F> Tj <4 8 6> Tj ET", 7, 4)] // hex: two digits a byte, spaces ignored, an odd digit padded
    [InlineData("/Span << /ActualText (x) /MCID 0 >> BDC EMC", 1, 2)] // a dictionary's << >> is not a hex string
    [InlineData("% a comment with (parentheses) and <hex> Tj\nBT (ok) Tj ET", 2, 3)]
    [InlineData("BI /W 4 /H 1 /CS /G /BPC 8 ID ((((\nEI BT (ok) Tj ET", 2, 5)] // inline image data is not text
    [InlineData("0 0 m 100 100 l S 1 0 0 rg 10 10 50 50 re f -1.5 .5 +2 Td", 0, 7)] // numbers are operands
    public void Counts_string_bytes_and_operators(string content, long characters, long operators) =>
        Assert.Equal(new PageContent(characters, operators), Scan(content));

    [Fact]
    public void A_form_counts_each_time_it_is_drawn()
    {
        var asked = new List<string>();

        var count = Scan("q /Fm1 Do Q q /Fm1 Do Q /Im0 Do (a) Tj", name =>
        {
            asked.Add(name);
            return name == "Fm1" ? new PageContent(1000, 10) : default;
        });

        Assert.Equal(new PageContent(2001, 28), count); // 8 operators of its own, 10 per drawing of the form
        Assert.Equal(["Fm1", "Fm1", "Im0"], asked);
    }

    [Fact]
    public void Counting_stops_past_either_limit()
    {
        var drawn = 0;

        var characters = Scan(string.Concat(Enumerable.Repeat("/Fm1 Do ", 1000)), _ =>
        {
            drawn++;
            return new PageContent(100, 0);
        }, new PageContent(250, 1_000_000));
        var operators = Scan(string.Concat(Enumerable.Repeat("10 10 m 20 20 l S\n", 1000)), limit: new PageContent(1_000_000, 30));

        Assert.True(characters.Characters > 250);
        Assert.Equal(3, drawn);
        Assert.InRange(operators.Operators, 31, 33);
    }

    [Fact]
    public void Unterminated_strings_count_what_is_there()
    {
        Assert.Equal(3, Scan("BT (abc").Characters);
        Assert.Equal(3, Scan("BT <41424").Characters); // five digits, the last padded
    }
}
