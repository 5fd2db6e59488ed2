using ScipixWorker.Cli.Bench;

namespace ScipixWorker.UnitTests.Bench;

public sealed class JitSettlingTests
{
    [Fact]
    public void The_share_is_the_jit_seconds_over_the_round_seconds_and_never_negative()
    {
        Assert.Equal(0.25, JitSettling.Share(jitSeconds: 1.5, roundSeconds: 6));
        Assert.Equal(0, JitSettling.Share(jitSeconds: -0.1, roundSeconds: 6)); // a restarted counter
        Assert.Equal(0, JitSettling.Share(jitSeconds: 1, roundSeconds: 0));
    }

    [Theory]
    [InlineData(0.41, 0.05, 0, true)] // still recompiling: another round
    [InlineData(0.09, 0.05, 3, true)]
    [InlineData(0.05, 0.05, 3, false)] // at the limit: settled
    [InlineData(0.03, 0.05, 0, false)]
    [InlineData(0.60, 0.05, JitSettling.MaxRounds, false)] // the most rounds, whatever the JIT does
    [InlineData(0.60, 0, 0, false)] // settling off
    public void Another_round_follows_only_while_the_jit_took_more_than_the_limit_and_rounds_are_left(double share, double limit, int added, bool again)
    {
        Assert.Equal(again, JitSettling.Again(share, limit, added));
    }

    [Fact]
    public void A_worker_that_does_not_export_the_jit_time_ends_the_warm_up()
    {
        Assert.False(JitSettling.Again(share: null, limit: 0.05, roundsAdded: 0));
    }

    [Theory]
    [InlineData(1000, 500)]
    [InlineData(20, 10)]
    [InlineData(1, 1)]
    public void Each_added_round_is_half_the_first_warm_up(int warmup, int round)
    {
        Assert.Equal(round, JitSettling.RoundJobs(warmup));
    }

    [Fact]
    public void Settling_is_on_with_the_default_warm_up_and_off_where_the_warm_up_was_chosen_unless_asked_for()
    {
        E2eRequest Request(int? warmup, double? settle) => new(
            "set", Lines: true, Arrival.Burst, 0, 10, TimeSpan.FromSeconds(1), new Dictionary<string, string>(), "w.dll",
            TimeSpan.FromSeconds(1), "e2e", warmup, settle);

        Assert.Equal(JitSettling.DefaultShare, Request(null, null).JitSettleShare);
        Assert.Equal(0, Request(4, null).JitSettleShare); // --warmup 4: a cold replica, exactly
        Assert.Equal(0.1, Request(4, 0.1).JitSettleShare);
        Assert.Equal(0, Request(null, 0).JitSettleShare);
    }
}
