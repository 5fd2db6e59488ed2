using ScipixWorker.Jobs;

namespace ScipixWorker.UnitTests.Jobs;

public sealed class ImageReservationTests
{
    [Fact]
    public void A_reservation_hands_its_place_back_once_however_often_it_is_disposed()
    {
        using var ahead = new SemaphoreSlim(1);
        ahead.Wait(TestContext.Current.CancellationToken);
        var reservation = new ImageReservation(ahead, null);

        reservation.Dispose(); // the job took its stage-1 slot
        reservation.Dispose(); // and then finished

        Assert.Equal(1, ahead.CurrentCount);
    }

    [Fact]
    public async Task A_reservation_holds_its_image_bytes_until_disposed_and_hands_them_back_once()
    {
        var budget = new ByteBudget(100);
        var reservation = new ImageReservation(null, new BytesWait(budget, CancellationToken.None));

        await reservation.HoldBytesAsync(60, TestContext.Current.CancellationToken);
        var next = new ImageReservation(null, new BytesWait(budget, CancellationToken.None));
        var waiting = next.HoldBytesAsync(60, TestContext.Current.CancellationToken);

        Assert.Equal((60, 60L), (budget.InUse, reservation.BytesHeld));
        Assert.False(waiting.IsCompleted); // 120 bytes would be over the budget
        reservation.Dispose();
        reservation.Dispose();
        await waiting.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal((60, 60L), (budget.InUse, next.BytesHeld));
        next.Dispose();
        Assert.Equal(0, budget.InUse);
    }

    [Fact]
    public async Task A_download_tried_again_holds_the_larger_of_its_lengths_not_both()
    {
        var budget = new ByteBudget(100);
        var reservation = new ImageReservation(null, new BytesWait(budget, CancellationToken.None));

        await reservation.HoldBytesAsync(40, TestContext.Current.CancellationToken);
        await reservation.HoldBytesAsync(30, TestContext.Current.CancellationToken); // the blob again, smaller
        await reservation.HoldBytesAsync(70, TestContext.Current.CancellationToken); // and larger

        Assert.Equal((70, 70L), (budget.InUse, reservation.BytesHeld));
        reservation.Dispose();
        Assert.Equal(0, budget.InUse);
    }

    [Fact]
    public async Task Giving_up_the_wait_for_bytes_holds_nothing()
    {
        var budget = new ByteBudget(100);
        await budget.AcquireAsync(100, TestContext.Current.CancellationToken);
        using var stop = new CancellationTokenSource();
        var reservation = new ImageReservation(null, new BytesWait(budget, stop.Token));

        var waiting = reservation.HoldBytesAsync(10, TestContext.Current.CancellationToken);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal((0L, 0), (reservation.BytesHeld, budget.Waiting));
        budget.Release(100);
        Assert.Equal(0, budget.InUse);
    }

    [Fact]
    public async Task Without_a_budget_holding_bytes_returns_at_once()
    {
        var reservation = new ImageReservation(null, null);

        await reservation.HoldBytesAsync(long.MaxValue, TestContext.Current.CancellationToken);

        Assert.Equal(0, reservation.BytesHeld);
    }
}
