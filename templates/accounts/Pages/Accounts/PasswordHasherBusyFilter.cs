using Microsoft.AspNetCore.Mvc.Filters;

namespace ModularUsersApp.Pages.Accounts;

// For every page: when the password hasher's queue is full (PasswordHasherBusyException), the
// 503 page (TryAgainLater.cshtml) instead of an error page. What the request would have counted
// or saved was not (SecretJudge gives the attempt back; nothing is saved before the hash).
public sealed class PasswordHasherBusyFilter : IAsyncPageFilter
{
    // Long enough for a burst to drain.
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private long _lastLoggedAt = long.MinValue;

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is not PasswordHasherBusyException || executed.ExceptionHandled)
        {
            return;
        }
        // At most one log line per RetryAfter: a burst is what fills the queue.
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastLoggedAt);
        if (now - last >= RetryAfter.TotalMilliseconds && Interlocked.CompareExchange(ref _lastLoggedAt, now, last) == last)
        {
            Log.HasherBusy(context.HttpContext.RequestServices.GetRequiredService<ILogger<PasswordHasher>>());
        }
        executed.ExceptionHandled = true;
        executed.Result = TryAgainLaterModel.Result(context.HttpContext, context.ModelState, StatusCodes.Status503ServiceUnavailable, RetryAfter,
            "Server busy", "The server is busy checking other passwords right now. Wait a few seconds, then send the form again.");
    }
}
