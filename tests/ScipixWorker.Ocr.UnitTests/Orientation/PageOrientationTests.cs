using ScipixWorker.Ocr.Orientation;

namespace ScipixWorker.Ocr.UnitTests.Orientation;

public sealed class PageOrientationTests
{
    [Fact]
    public void A_few_short_lines_classified_upside_down_do_not_turn_an_upright_page()
    {
        // Two prices (length 2) flipped among three long lines (length 10): 4 of 34.
        Assert.False(TextOrientationClassifier.PageIsUpsideDown([true, false, false, true, false], [2, 10, 10, 2, 10]));
    }

    [Fact]
    public void A_page_whose_text_is_mostly_classified_upside_down_is_turned_whole()
    {
        // The long lines say upside down, a short one disagrees: 20 of 22.
        Assert.True(TextOrientationClassifier.PageIsUpsideDown([true, true, false], [10, 10, 2]));
    }

    [Fact]
    public void Length_outweighs_the_count_of_lines()
    {
        // Three short lines against one long line: the long line's 12 of 15 decides.
        Assert.True(TextOrientationClassifier.PageIsUpsideDown([false, false, false, true], [1, 1, 1, 12]));
        Assert.False(TextOrientationClassifier.PageIsUpsideDown([true, true, true, false], [1, 1, 1, 12]));
    }

    [Fact]
    public void A_tie_or_an_empty_page_stays_upright()
    {
        Assert.False(TextOrientationClassifier.PageIsUpsideDown([true, false], [5, 5]));
        Assert.False(TextOrientationClassifier.PageIsUpsideDown([], []));
    }

    [Fact]
    public void A_single_line_keeps_its_own_verdict()
    {
        Assert.True(TextOrientationClassifier.PageIsUpsideDown([true], [3]));
        Assert.False(TextOrientationClassifier.PageIsUpsideDown([false], [3]));
    }
}
