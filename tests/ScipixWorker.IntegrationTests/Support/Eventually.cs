namespace ScipixWorker.IntegrationTests.Support;

/// <summary>Waits for a condition instead of sleeping a fixed time.</summary>
internal static class Eventually
{
    public static async Task True(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}.");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public static Task True(Func<bool> condition, TimeSpan timeout, string what) => True(() => Task.FromResult(condition()), timeout, what);
}
