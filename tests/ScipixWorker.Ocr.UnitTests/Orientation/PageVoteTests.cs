using ScipixWorker.Ocr.Orientation;

namespace ScipixWorker.Ocr.UnitTests.Orientation;

public sealed class PageVoteTests
{
    [Fact]
    public void The_vote_is_decided_when_the_upright_lines_hold_half_of_the_text()
    {
        var vote = new PageVote([10, 6, 4]);

        vote.Add(0, upsideDown: false);

        Assert.True(vote.Decided); // 10 of 20: the other lines, 10 together, could at most tie
        Assert.False(vote.UpsideDown);
    }

    [Fact]
    public void The_vote_is_decided_when_the_flipped_lines_hold_more_than_half()
    {
        var vote = new PageVote([10, 6, 4]);

        vote.Add(0, upsideDown: true);
        Assert.False(vote.Decided); // exactly half flipped is not upside down yet, and 10 more could still tie it
        vote.Add(1, upsideDown: true);

        Assert.True(vote.Decided);
        Assert.True(vote.UpsideDown);
    }

    [Fact]
    public void Sure_upright_lines_with_none_against_decide_the_page_before_half_of_its_text()
    {
        var vote = new PageVote([.. Enumerable.Repeat(10.0, 10)]);

        for (var line = 0; line < PageVote.MinUnanimous - 1; line++)
        {
            vote.Add(line, upsideDown: false, sure: true);
        }

        Assert.False(vote.Decided); // 30 of 100, and one sure line short
        vote.Add(PageVote.MinUnanimous - 1, upsideDown: false, sure: true);

        Assert.True(vote.Decided); // 40 of 100
        Assert.False(vote.UpsideDown);
    }

    [Fact]
    public void Sure_flipped_lines_with_none_against_decide_the_page_upside_down()
    {
        var vote = new PageVote([.. Enumerable.Repeat(10.0, 10)]);

        for (var line = 0; line < PageVote.MinUnanimous; line++)
        {
            vote.Add(line, upsideDown: true, sure: true);
        }

        Assert.True(vote.Decided);
        Assert.True(vote.UpsideDown);
    }

    [Fact]
    public void A_single_line_against_leaves_the_count_to_half_of_the_text()
    {
        var vote = new PageVote([.. Enumerable.Repeat(10.0, 10)]);

        vote.Add(0, upsideDown: true, sure: true);
        for (var line = 1; line <= 4; line++)
        {
            vote.Add(line, upsideDown: false, sure: true);
        }

        Assert.False(vote.Decided); // four sure upright lines, but one flipped: 40 of 100 upright
        vote.Add(5, upsideDown: false, sure: true);

        Assert.True(vote.Decided); // 50 of 100
        Assert.False(vote.UpsideDown);
    }

    [Fact]
    public void Lines_the_classifier_is_unsure_of_do_not_make_a_vote_unanimous()
    {
        var vote = new PageVote([.. Enumerable.Repeat(10.0, 10)]);

        for (var line = 0; line < 4; line++)
        {
            vote.Add(line, upsideDown: false, sure: line != 2);
        }

        Assert.False(vote.Decided); // three sure, one not
        vote.Add(4, upsideDown: false, sure: true);

        Assert.True(vote.Decided);
    }

    [Theory]
    [InlineData(0.0, true)]
    [InlineData(0.1, true)]
    [InlineData(0.11, false)]
    [InlineData(0.5, false)]
    [InlineData(0.89, false)]
    [InlineData(0.9, true)]
    [InlineData(1.0, true)]
    public void A_line_is_sure_near_either_end(double flipped, bool sure) =>
        Assert.Equal(sure, PageVote.IsSure(flipped));

    [Fact]
    public void A_page_without_lines_is_decided_upright() =>
        Assert.True(new PageVote([]) is { Decided: true, UpsideDown: false });

    // Without sure verdicts only the half of the text decides, and so exactly.
    [Fact]
    public void A_decided_vote_has_the_outcome_of_every_line_counted()
    {
        var random = new Random(20261203);
        var decidedEarly = 0;
        for (var page = 0; page < 2000; page++)
        {
            var lengths = Enumerable.Range(0, random.Next(1, 40)).Select(_ => 0.5 + (random.NextDouble() * 30)).ToArray();
            var flippedShare = random.NextDouble();
            var verdicts = lengths.Select(_ => random.NextDouble() < flippedShare).ToArray();
            var full = PageOrientationTests.FullVote(verdicts, lengths);

            var vote = new PageVote(lengths);
            var counted = 0;
            foreach (var line in Enumerable.Range(0, lengths.Length).OrderByDescending(i => lengths[i]))
            {
                vote.Add(line, verdicts[line]);
                counted++;
                if (vote.Decided)
                {
                    break;
                }
            }

            Assert.True(vote.Decided);
            Assert.Equal(full, vote.UpsideDown);
            Assert.InRange(counted, 1, lengths.Length);
            decidedEarly += counted < lengths.Length ? 1 : 0;
        }

        Assert.True(decidedEarly > 1000, $"{decidedEarly} of 2000 pages decided before their last line");
    }
}
