using ScipixWorker.Ocr.Evaluation;

namespace ScipixWorker.Ocr.UnitTests.Evaluation;

public sealed class TextMetricsTests
{
    [Theory]
    [InlineData("  a \t b\n\nc  ", false, "a b c")]
    [InlineData("Total: 9.00", true, "TOTAL: 9.00")]
    [InlineData("", false, "")]
    public void Normalize_collapses_whitespace_and_trims(string input, bool caseInsensitive, string expected) =>
        Assert.Equal(expected, TextMetrics.Normalize(input, caseInsensitive));

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("flaw", "lawn", 2)]
    [InlineData("same", "same", 0)]
    public void Character_errors_are_the_levenshtein_distance(string a, string b, int expected) =>
        Assert.Equal(expected, TextMetrics.CharacterErrors(a, b));

    [Fact]
    public void Word_errors_count_whole_words()
    {
        Assert.Equal(1, TextMetrics.WordErrors("the cat sat", "the bat sat"));
        Assert.Equal(1, TextMetrics.WordErrors("the cat sat", "the cat"));
        Assert.Equal(3, TextMetrics.WordErrors("the cat sat", string.Empty));
    }

    [Fact]
    public void Bag_of_lines_ignores_line_order()
    {
        Assert.Equal(TextMetrics.BagOfLines("b line\na line\n"), TextMetrics.BagOfLines("a  line\n\nb line"));
        Assert.NotEqual(TextMetrics.BagOfLines("a line\nb line"), TextMetrics.BagOfLines("a line b line"));
    }
}
