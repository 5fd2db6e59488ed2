using System.Globalization;
using ScipixWorker.Storage;

namespace ScipixWorker.UnitTests.Storage;

/// <summary>What a replica does about a key's blob it did not write (the store itself is tested against Azurite).</summary>
public sealed class BlobIdempotencyStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 4, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, string> Blob(string state, TimeSpan expiresIn) => new()
    {
        [BlobIdempotencyStore.StateKey] = state,
        [BlobIdempotencyStore.ExpiresKey] = (Now + expiresIn).ToString("O", CultureInfo.InvariantCulture),
        [BlobIdempotencyStore.OwnerKey] = "host/1/abcd",
    };

    [Fact]
    public void A_result_inside_the_window_makes_a_repeat()
    {
        Assert.Equal(ClaimVerdict.Duplicate, BlobIdempotencyStore.Decide(Blob(BlobIdempotencyStore.Done, TimeSpan.FromMinutes(5)), Now));
    }

    [Fact]
    public void A_live_claim_of_another_replica_is_waited_for()
    {
        Assert.Equal(ClaimVerdict.Wait, BlobIdempotencyStore.Decide(Blob(BlobIdempotencyStore.Running, TimeSpan.FromSeconds(10)), Now));
    }

    [Theory]
    [InlineData(BlobIdempotencyStore.Running)]
    [InlineData(BlobIdempotencyStore.Done)]
    public void A_claim_or_result_that_ran_out_is_taken_over(string state)
    {
        Assert.Equal(ClaimVerdict.TakeOver, BlobIdempotencyStore.Decide(Blob(state, TimeSpan.Zero), Now));
        Assert.Equal(ClaimVerdict.TakeOver, BlobIdempotencyStore.Decide(Blob(state, TimeSpan.FromSeconds(-1)), Now));
    }

    [Fact]
    public void A_blob_this_worker_did_not_write_is_taken_over()
    {
        Assert.Equal(ClaimVerdict.TakeOver, BlobIdempotencyStore.Decide(new Dictionary<string, string>(), Now));
        var garbled = Blob(BlobIdempotencyStore.Done, TimeSpan.FromMinutes(5));
        garbled[BlobIdempotencyStore.ExpiresKey] = "tomorrow";
        Assert.Equal(ClaimVerdict.TakeOver, BlobIdempotencyStore.Decide(garbled, Now));
    }

    [Fact]
    public void Taking_over_a_claim_that_ran_out_while_running_counts_one_more_run_lost()
    {
        var first = Blob(BlobIdempotencyStore.Running, TimeSpan.FromSeconds(-1));
        var third = Blob(BlobIdempotencyStore.Running, TimeSpan.FromSeconds(-1));
        third[BlobIdempotencyStore.LostKey] = "2";

        Assert.Equal(1, BlobIdempotencyStore.LostRuns(first)); // written before runs were counted: one lost
        Assert.Equal(3, BlobIdempotencyStore.LostRuns(third));
    }

    [Fact]
    public void Taking_over_a_result_or_a_blob_this_worker_did_not_write_counts_no_run_lost()
    {
        var done = Blob(BlobIdempotencyStore.Done, TimeSpan.FromSeconds(-1));
        done[BlobIdempotencyStore.LostKey] = "4";
        var garbled = Blob(BlobIdempotencyStore.Running, TimeSpan.FromSeconds(-1));
        garbled[BlobIdempotencyStore.LostKey] = "-7";

        Assert.Equal(0, BlobIdempotencyStore.LostRuns(done));
        Assert.Equal(0, BlobIdempotencyStore.LostRuns(new Dictionary<string, string>()));
        Assert.Equal(1, BlobIdempotencyStore.LostRuns(garbled));
    }
}
