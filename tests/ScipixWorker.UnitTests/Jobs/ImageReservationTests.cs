using ScipixWorker.Jobs;

namespace ScipixWorker.UnitTests.Jobs;

public sealed class ImageReservationTests
{
    [Fact]
    public void A_reservation_hands_its_place_back_once_however_often_it_is_disposed()
    {
        using var ahead = new SemaphoreSlim(1);
        ahead.Wait(TestContext.Current.CancellationToken);
        var reservation = new ImageReservation(ahead);

        reservation.Dispose(); // the job took its stage-1 slot
        reservation.Dispose(); // and then finished

        Assert.Equal(1, ahead.CurrentCount);
    }
}
