namespace Specs.Support;

// For work the app does in the background (a purge, a mail): polls until the condition holds.
public static class Eventually
{
    // Real time to wait once the work is due: generous, for a loaded machine.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task TrueAsync(Func<Task<bool>> condition, string failure = "The condition did not hold in time.")
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < Patience, failure);
            await Task.Delay(50);
        }
    }
}
