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
    public void A_page_without_lines_is_decided_upright() =>
        Assert.True(new PageVote([]) is { Decided: true, UpsideDown: false });

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
