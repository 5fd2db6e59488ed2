using ScipixWorker.Ocr.Orientation;

namespace ScipixWorker.Ocr.UnitTests.Orientation;

/// <summary>The page's vote (<see cref="PageVote"/>) with every line counted.</summary>
public sealed class PageOrientationTests
{
    /// <summary>The outcome of a <see cref="PageVote"/> once every line's verdict is counted.</summary>
    internal static bool FullVote(IReadOnlyList<bool> upsideDown, IReadOnlyList<double> lengths)
    {
        var vote = new PageVote(lengths);
        for (var i = 0; i < upsideDown.Count; i++)
        {
            vote.Add(i, upsideDown[i]);
        }

        return vote.UpsideDown;
    }

    [Fact]
    public void A_few_short_lines_classified_upside_down_do_not_turn_an_upright_page()
    {
        // Two prices (length 2) flipped among three long lines (length 10): 4 of 34.
        Assert.False(FullVote([true, false, false, true, false], [2, 10, 10, 2, 10]));
    }

    [Fact]
    public void A_page_whose_text_is_mostly_classified_upside_down_is_turned_whole()
    {
        // The long lines say upside down, a short one disagrees: 20 of 22.
        Assert.True(FullVote([true, true, false], [10, 10, 2]));
    }

    [Fact]
    public void Length_outweighs_the_count_of_lines()
    {
        // Three short lines against one long line: the long line's 12 of 15 decides.
        Assert.True(FullVote([false, false, false, true], [1, 1, 1, 12]));
        Assert.False(FullVote([true, true, true, false], [1, 1, 1, 12]));
    }

    [Fact]
    public void A_tie_or_an_empty_page_stays_upright()
    {
        Assert.False(FullVote([true, false], [5, 5]));
        Assert.False(FullVote([], []));
    }

    [Fact]
    public void A_single_line_keeps_its_own_verdict()
    {
        Assert.True(FullVote([true], [3]));
        Assert.False(FullVote([false], [3]));
    }
}
