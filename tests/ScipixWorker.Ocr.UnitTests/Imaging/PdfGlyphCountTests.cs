using System.Text;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

public sealed class PdfGlyphCountTests
{
    private static long Count(string content, Func<string, long>? drawn = null, long limit = 1_000_000) =>
        PdfGlyphCount.Strings(Encoding.Latin1.GetBytes(content), drawn ?? (_ => 0), limit);

    [Theory]
    [InlineData("BT /F1 12 Tf 50 700 Td (Invoice 20817) Tj ET", 13)]
    [InlineData("BT [(Inv) -20 (oice)] TJ ET", 7)] // TJ arrays: the strings, not the numbers
    [InlineData("BT (a(b)c\\)d) Tj ET", 7)] // balanced parentheses nest; an escaped one is a character
    [InlineData("BT <48656C6C6F> Tj <4 8 6> Tj ET", 7)] // hex: two digits a byte, spaces ignored, an odd digit padded
    [InlineData("/Span << /ActualText (x) /MCID 0 >> BDC EMC", 1)] // a dictionary's << >> is not a hex string
    [InlineData("% a comment with (parentheses) and <hex>\nBT (ok) Tj ET", 2)]
    [InlineData("BI /W 4 /H 1 /CS /G /BPC 8 ID ((((\nEI BT (ok) Tj ET", 2)] // inline image data is not text
    [InlineData("0 0 m 100 100 l S 1 0 0 rg 10 10 50 50 re f", 0)]
    public void Counts_the_bytes_of_string_operands(string content, long expected) =>
        Assert.Equal(expected, Count(content));

    [Fact]
    public void A_form_counts_each_time_it_is_drawn()
    {
        var asked = new List<string>();

        var count = Count("q /Fm1 Do Q q /Fm1 Do Q /Im0 Do (a) Tj", name =>
        {
            asked.Add(name);
            return name == "Fm1" ? 1000 : 0;
        });

        Assert.Equal(2001, count);
        Assert.Equal(["Fm1", "Fm1", "Im0"], asked);
    }

    [Fact]
    public void Counting_stops_past_the_limit()
    {
        var drawn = 0;

        var count = Count(string.Concat(Enumerable.Repeat("/Fm1 Do ", 1000)), _ =>
        {
            drawn++;
            return 100;
        }, limit: 250);

        Assert.True(count > 250);
        Assert.Equal(3, drawn);
    }

    [Fact]
    public void Unterminated_strings_count_what_is_there()
    {
        Assert.Equal(3, Count("BT (abc"));
        Assert.Equal(3, Count("BT <41424")); // five digits, the last padded
    }
}
