using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

// What TryAgainLater.cshtml shows: a 429 when a client address sent too many posts, a 503 when
// too many passwords are being checked at once. Both say when to come back (Retry-After).
public record TryAgainLaterModel(string Title, string Message, int RetryAfterSeconds)
{
    public static IActionResult Result(HttpContext context, ModelStateDictionary modelState, int statusCode, TimeSpan retryAfter, string title, string message)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var metadata = context.RequestServices.GetRequiredService<IModelMetadataProvider>();
        return new ViewResult
        {
            ViewName = "/Pages/Accounts/TryAgainLater.cshtml",
            StatusCode = statusCode,
            ViewData = new ViewDataDictionary<TryAgainLaterModel>(metadata, modelState)
            {
                Model = new TryAgainLaterModel(title, message, seconds),
            },
        };
    }
}

public enum PostLimit
{
    // AccountsOptions.RegistrationLimit per RegistrationWindow.
    Registration,
    // AccountsOptions.FormPostLimit per FormPostWindow: sign-in steps, secrets asked again.
    TypedSecrets,
}

// On a page model: its POSTs are limited per client address (an IPv6 client: its /64). Beyond
// the limit the handler does not run and the answer is the 429 page.
[AttributeUsage(AttributeTargets.Class)]
public sealed class LimitPostsPerAddressAttribute(PostLimit limit) : Attribute, IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsPost(http.Request.Method)
            && !http.RequestServices.GetRequiredService<PostRateLimits>().TryAcquire(limit, http.Connection.RemoteIpAddress, out var retryAfter))
        {
            Log.PostsLimited(http.RequestServices.GetRequiredService<ILogger<PostRateLimits>>(), limit, http.Connection.RemoteIpAddress);
            context.Result = TryAgainLaterModel.Result(http, context.ModelState, StatusCodes.Status429TooManyRequests, retryAfter,
                "Too many requests", "Too many requests from your network in a short time. Wait a little, then try again.");
            return;
        }
        await next();
    }
}

// The framework's fixed-window rate limiter, one window per client address and kind of page.
public sealed class PostRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _registration;
    private readonly PartitionedRateLimiter<string> _typedSecrets;

    public PostRateLimits(IOptions<AccountsOptions> options)
    {
        var accounts = options.Value;
        _registration = PerAddress(accounts.RegistrationLimit, accounts.RegistrationWindow);
        _typedSecrets = PerAddress(accounts.FormPostLimit, accounts.FormPostWindow);
    }

    public bool TryAcquire(PostLimit limit, IPAddress? ip, out TimeSpan retryAfter)
    {
        var limiter = limit == PostLimit.Registration ? _registration : _typedSecrets;
        using var lease = limiter.AttemptAcquire(ClientAddress.KeyOf(ip));
        if (lease.IsAcquired)
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        return false;
    }

    private static PartitionedRateLimiter<string> PerAddress(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
        }));

    public void Dispose()
    {
        _registration.Dispose();
        _typedSecrets.Dispose();
    }
}

// For every page: when the password hasher's queue is full (PasswordHasherBusyException), the
// 503 page instead of an error page. Nothing was saved: the failed request changed nothing.
public sealed class PasswordHasherBusyFilter : IAsyncPageFilter
{
    // Long enough for a burst to drain.
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is PasswordHasherBusyException && !executed.ExceptionHandled)
        {
            Log.HasherBusy(context.HttpContext.RequestServices.GetRequiredService<ILogger<PasswordHasher>>());
            executed.ExceptionHandled = true;
            executed.Result = TryAgainLaterModel.Result(context.HttpContext, context.ModelState, StatusCodes.Status503ServiceUnavailable, RetryAfter,
                "Server busy", "The server is busy checking other passwords right now. Wait a few seconds, then send the form again.");
        }
    }
}
