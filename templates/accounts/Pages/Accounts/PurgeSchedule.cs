namespace ModularUsersApp.Pages.Accounts;

// How the modules' purge services run (old events, sessions, audit entries): once at start-up,
// then every interval. A failed purge is logged and the next one tries again; the app keeps serving.
public static class PurgeSchedule
{
    public static async Task RunAsync(TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> purge,
        Action<Exception> failed, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await purge(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                failed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
